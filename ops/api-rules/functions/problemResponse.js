// Each 4xx and 5xx response (and a 4XX/5XX range) is a problem document (RFC 9457): its content is
// application/problem+json or application/problem+xml, and each such schema requires status, title and detail.
const PROBLEM_TYPES = ['application/problem+json', 'application/problem+xml'];
const MEMBERS = ['status', 'title', 'detail'];

/** The members a schema requires, its allOf parts included. */
function required(schema) {
  if (schema === null || typeof schema !== 'object') return [];
  return [...(Array.isArray(schema.required) ? schema.required : []), ...(Array.isArray(schema.allOf) ? schema.allOf.flatMap(required) : [])];
}

export default function problemResponse(responses) {
  const results = [];
  for (const [status, response] of Object.entries(responses ?? {})) {
    if (!/^[45]([0-9]{2}|XX)$/.test(status) || response === null || typeof response !== 'object') continue;
    const content = response.content ?? {};
    const problemTypes = Object.keys(content).filter((type) => PROBLEM_TYPES.includes(type.toLowerCase()));
    if (problemTypes.length === 0) {
      results.push({ message: `${status} is not a problem document: its content must be application/problem+json`, path: [status] });
      continue;
    }
    for (const type of problemTypes) {
      const missing = MEMBERS.filter((member) => !required(content[type].schema).includes(member));
      if (missing.length > 0) {
        results.push({ message: `the problem document of ${status} does not require ${missing.join(', ')}`, path: [status, 'content', type, 'schema'] });
      }
    }
  }
  return results;
}
