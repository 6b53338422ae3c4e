const MAX = 65_536;

/**
 * Reads a secret without echo: the whole of stdin when it is piped, otherwise a prompt on the
 * terminal in raw mode (characters are not displayed; Ctrl+C aborts, Backspace works).
 */
export async function readSecret(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    let text = '';
    for await (const chunk of stdin as AsyncIterable<Buffer>) {
      text += chunk.toString('utf8');
      if (text.length > MAX) throw new Error('The input is far too long to be a registration key.');
    }
    return text;
  }
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  try {
    return await new Promise<string>((resolve, reject) => {
      let value = '';
      const onData = (buf: Buffer) => {
        for (const ch of buf.toString('utf8')) {
          if (ch === '\r' || ch === '\n') {
            stdin.off('data', onData);
            process.stderr.write('\n');
            return resolve(value);
          }
          if (ch === '\u0003') {
            stdin.off('data', onData);
            process.stderr.write('\n');
            return reject(new Error('Cancelled.'));
          }
          if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
          else if (value.length < MAX) value += ch;
        }
      };
      stdin.on('data', onData);
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
  }
}
