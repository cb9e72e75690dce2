// An operation that takes input can answer 400: POST, PUT and PATCH always, GET, DELETE (and the others) when they
// have parameters, their own or the path's.
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
const WITH_BODY = ['post', 'put', 'patch'];

export default function invalidInputResponse(pathItem) {
  if (pathItem === null || typeof pathItem !== 'object') return [];
  const pathParameters = Array.isArray(pathItem.parameters) ? pathItem.parameters.length : 0;
  const results = [];
  for (const method of METHODS) {
    const operation = pathItem[method];
    if (operation === undefined || operation === null) continue;
    const parameters = pathParameters + (Array.isArray(operation.parameters) ? operation.parameters.length : 0);
    const takesInput = WITH_BODY.includes(method) || parameters > 0;
    const responses = operation.responses ?? {};
    if (takesInput && responses['400'] === undefined && responses['4XX'] === undefined) {
      results.push({ message: `${method.toUpperCase()} takes input but documents no 400 for invalid input`, path: [method, 'responses'] });
    }
  }
  return results;
}
