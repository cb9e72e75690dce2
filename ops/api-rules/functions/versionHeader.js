// A response documents the API-Version header; header names are case-insensitive.
export default function versionHeader(response) {
  if (response === null || typeof response !== 'object') return [];
  const names = Object.keys(response.headers ?? {});
  return names.some((name) => name.toLowerCase() === 'api-version') ? [] : [{ message: 'the response does not document the API-Version header' }];
}
