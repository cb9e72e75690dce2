// The object given has `member`, an object holding every one of `fields` (non-empty).
export default function requiredMembers(input, options) {
  const value = input?.[options.member];
  if (value === undefined || value === null || typeof value !== 'object') return [{ message: `${options.member} is missing` }];
  const missing = options.fields.filter((field) => value[field] === undefined || value[field] === '');
  return missing.length === 0 ? [] : [{ message: `${options.member} lacks ${missing.join(', ')}`, path: [options.member] }];
}
