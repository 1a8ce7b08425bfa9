// arkgate playground: the Server-Sent Events parser of the chat stream (no DOM, no network).

/**
 * A Server-Sent Events parser: `push` text as it arrives (any chunking), `onEvent` gets
 * `{event, data}` per event. Lines end in LF, CRLF or CR; a blank line ends an event; `data:`
 * lines join with LF; comments (`: keep-alive`) and `id:`/`retry:` are ignored; an event cut off
 * by the end of the stream is dropped, as the SSE spec says.
 */
export function sseParser(onEvent) {
  let buffer = '';
  let type = '';
  let data = [];
  const dispatch = () => {
    if (data.length > 0) onEvent({ event: type || 'message', data: data.join('\n') });
    type = '';
    data = [];
  };
  const line = (text) => {
    if (text === '') return dispatch();
    if (text.startsWith(':')) return undefined;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') type = value;
    else if (field === 'data') data.push(value);
    return undefined;
  };
  return (chunk) => {
    buffer += chunk;
    const breaks = /\r\n|\r|\n/g;
    let start = 0;
    let match;
    while ((match = breaks.exec(buffer))) {
      // A CR at the very end may be the first half of a CRLF split across chunks.
      if (match[0] === '\r' && breaks.lastIndex === buffer.length) break;
      line(buffer.slice(start, match.index));
      start = breaks.lastIndex;
    }
    buffer = buffer.slice(start);
  };
}
