// The document has servers, and the path of each server URL ends with the major version as /v<number>
// (/core/uri-version). A relative URL (/v1) is allowed: the host is the one that serves the document.
const VERSIONED = /\/v[0-9]+$/;

export default function majorVersionInServer(document) {
  const servers = document?.servers;
  if (!Array.isArray(servers) || servers.length === 0)
    return [{ message: 'the document names no servers: give one whose URL ends with the major version (/v1)', path: ['servers'] }];
  const results = [];
  servers.forEach((server, i) => {
    const url = typeof server?.url === 'string' ? server.url.replace(/[?#].*$/, '').replace(/\/$/, '') : '';
    if (!VERSIONED.test(url))
      results.push({ message: `server ${server?.url ?? '(no url)'} does not end with the major version (/v1)`, path: ['servers', i, 'url'] });
  });
  return results;
}
