// A path item holds only the standard HTTP methods (/core/http-methods), beside the fields OpenAPI defines for it
// and extensions (x-...).
const ALLOWED = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'summary', 'description', 'servers', 'parameters', '$ref']);

export default function standardMethods(pathItem) {
  if (pathItem === null || typeof pathItem !== 'object') return [];
  return Object.keys(pathItem)
    .filter((key) => !ALLOWED.has(key) && !key.startsWith('x-'))
    .map((key) => ({ message: `${key} is not a standard HTTP method`, path: [key] }));
}
