// The console's one way to the server: the same REST API as the CLI, authenticated by the session cookie.
// State-changing requests send the CSRF header the server requires of cookie-authenticated requests.

export const CSRF_HEADER = 'X-Polyvisor-Console';

/** An API answer that is not 2xx; problem is the application/problem+json body when there is one. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem && problem.detail ? problem.detail : `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

/** Calls METHOD path with an optional JSON body; resolves to the parsed JSON (null for 204), rejects with ApiError. */
export async function call(method, path, body) {
  return (await exchange(method, path, body)).data;
}

/**
 * GETs a VM list with the seq of the last event it reflects (its X-Polyvisor-Events-Through header): following the
 * stream after that seq misses no change the list does not show.
 */
export async function listed(path) {
  const { data, res } = await exchange('GET', path);
  return { data, through: Number(res.headers.get('X-Polyvisor-Events-Through') || 0) };
}

async function exchange(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET') headers[CSRF_HEADER] = '1';
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, {
    method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) return { data: null, res };
  const type = res.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await res.json() : await res.text();
  if (!res.ok) throw new ApiError(res.status, typeof data === 'object' ? data : null);
  return { data, res };
}

export const get = (path) => call('GET', path);
export const post = (path, body) => call('POST', path, body);
export const put = (path, body) => call('PUT', path, body);
export const del = (path) => call('DELETE', path);

/**
 * Follows the server-sent event stream from after the given seq, calling onEvent(event) for each event in order.
 * Read with fetch rather than EventSource: the stream names each event by its type, and EventSource cannot
 * listen to every name. Resolves when the stream ends (server closed, or abort.signal fired); rejects with
 * ApiError if the server refuses it (401 once the session is over).
 */
export async function follow(after, onEvent, abort) {
  const res = await fetch(`/api/v1/events/stream?after=${after}`, {
    headers: { Accept: 'text/event-stream' }, credentials: 'same-origin', signal: abort.signal,
  });
  if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => null));
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
        if (data) onEvent(JSON.parse(data));
      }
    }
  } catch (e) {
    if (e.name !== 'AbortError') throw e;
  }
}
