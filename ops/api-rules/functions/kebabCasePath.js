// Every segment of a path is kebab-case (lower-case letters and digits, words joined by single hyphens) or a
// {parameter}; the last may start with an underscore (an operation on a resource, /core/resource-operations).
// The API's description document (openapi.json) is the only name with a dot; asyncapi.json is served beside it
// and, like it, left out of the paths (decision 0112).
const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const PARAMETER = /^\{[^{}]+\}$/;
const DOCUMENT = /^openapi\.(json|yaml)$/;

export default function kebabCasePath(path) {
  if (typeof path !== 'string' || path === '/') return [];
  const segments = path.replace(/\/$/, '').split('/').slice(1);
  const wrong = segments.filter((segment, i) => {
    const last = i === segments.length - 1;
    if (KEBAB.test(segment) || PARAMETER.test(segment)) return false;
    if (last && (DOCUMENT.test(segment) || (segment.startsWith('_') && KEBAB.test(segment.slice(1))))) return false;
    return true;
  });
  return wrong.length === 0 ? [] : [{ message: `path ${path}: ${wrong.map((s) => `'${s}'`).join(', ')} is not kebab-case` }];
}
