import crypto from 'node:crypto';
import net from 'node:net';

// Virus scanning before a file is accepted (docs/uploads.md). In production a real ClamAV daemon (clamd) over
// its socket protocol: INSTREAM sends the bytes in length-prefixed chunks and clamd answers "stream: OK" or
// "stream: <signature> FOUND". We speak the few lines of that protocol ourselves rather than take a wrapper
// library: the maintained ones (clamscan) look for local binaries and fall back to them, where we need exactly
// one socket, a timeout, and "unreachable" kept apart from "infected".

export type ScanResult = Readonly<{ clean: true }> | Readonly<{ clean: false; signature: string }>;

export interface VirusScanner {
  /** Scans the bytes; rejects with ScannerUnavailableError when the scanner cannot give an answer. */
  scan(content: Buffer): Promise<ScanResult>;
  /** Resolves when the scanner answers PING (readiness); rejects otherwise. */
  ping(): Promise<void>;
  readonly description: string;
}

export class ScannerUnavailableError extends Error {
  override name = 'ScannerUnavailableError';
}

export type ClamdAddress = Readonly<{ socket: string } | { host: string; port: number }>;

const CHUNK = 64 * 1024;

/** A clamd reached at a Unix socket or host and port; every command on its own connection. */
export function createClamdScanner(address: ClamdAddress, timeoutMs = 15_000): VirusScanner {
  const where = 'socket' in address ? address.socket : `${address.host}:${address.port}`;

  function command(write: (socket: net.Socket) => void): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket =
        'socket' in address
          ? net.createConnection({ path: address.socket })
          : net.createConnection({ host: address.host, port: address.port });
      const chunks: Buffer[] = [];
      let settled = false;
      const finish = (err: Error | undefined, reply?: string) => {
        if (settled) return;
        settled = true;
        socket.destroy();
        if (err) reject(new ScannerUnavailableError(`clamd at ${where}: ${err.message}`, { cause: err }));
        else resolve(reply ?? '');
      };
      socket.setTimeout(timeoutMs, () => finish(new Error(`no answer within ${timeoutMs} ms`)));
      socket.on('error', (err) => finish(err));
      socket.on('data', (data: Buffer) => chunks.push(data));
      socket.on('end', () => {
        const reply = Buffer.concat(chunks).toString('utf8').replace(/\0/g, '').trim();
        if (reply === '') finish(new Error('closed the connection without an answer'));
        else finish(undefined, reply);
      });
      socket.on('connect', () => write(socket));
    });
  }

  return {
    description: `clamd at ${where}`,
    async ping() {
      const reply = await command((s) => s.end('zPING\0'));
      if (reply !== 'PONG')
        throw new ScannerUnavailableError(`clamd at ${where} answered PING with "${reply}"`);
    },
    async scan(content) {
      const reply = await command((socket) => {
        socket.write('zINSTREAM\0');
        for (let offset = 0; offset < content.length; offset += CHUNK) {
          const chunk = content.subarray(offset, offset + CHUNK);
          const size = Buffer.alloc(4);
          size.writeUInt32BE(chunk.length);
          socket.write(size);
          socket.write(chunk);
        }
        socket.end(Buffer.alloc(4)); // a zero-length chunk ends the stream
      });
      return parseScanReply(reply, where);
    },
  };
}

/** clamd's answer to INSTREAM: "stream: OK", "stream: Name FOUND", or an error such as a size limit. */
export function parseScanReply(reply: string, where = 'clamd'): ScanResult {
  if (/^stream: OK$/.test(reply)) return { clean: true };
  const found = /^stream: (.+) FOUND$/.exec(reply);
  if (found) return { clean: false, signature: found[1]! };
  // "INSTREAM size limit exceeded. ERROR", "... ERROR": no verdict, so the file cannot be accepted.
  throw new ScannerUnavailableError(`${where} gave no verdict: ${reply}`);
}

// The EICAR anti-virus test file: the one "virus" every scanner recognises, harmless by design.
const EICAR_MD5 = '44d88612fea8a8f36de82e1278abb02f';

/**
 * Development only (config refuses it in production): without a clamd configured, `npm start` still shows the
 * upload journey working, including the refusal of an infected file, by recognising exactly the EICAR test file,
 * as the shipped test signature database does. It does not protect anything and says so in the log at start.
 */
export function createDevelopmentScanner(): VirusScanner {
  return {
    description:
      'development scanner (recognises only the EICAR test file; set CLAMD_SOCKET for real scanning)',
    async ping() {},
    async scan(content) {
      const md5 = crypto.createHash('md5').update(content).digest('hex');
      return md5 === EICAR_MD5 ? { clean: false, signature: 'Eicar-Test-Signature' } : { clean: true };
    },
  };
}
