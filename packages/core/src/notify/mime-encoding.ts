const encoder = new TextEncoder();

/** Base64 of bytes with web-standard `btoa` (no Buffer). */
export function base64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * An unstructured header value (RFC 2047): as is when it is short printable ASCII, otherwise
 * UTF-8 `B` encoded-words of at most 75 characters, folded onto continuation lines. Never
 * splits a character across two words.
 */
export function encodeHeaderWords(value: string, nameLength: number): string {
  if (PRINTABLE_ASCII.test(value) && !value.includes("=?") && nameLength + 2 + value.length <= 78) return value;
  // A word is 12 characters of frame plus 4 per 3 bytes; lines stay within 76 characters:
  // continuation lines (" " + word) take 45 bytes, the first what is left after "Name: ".
  const firstMax = Math.floor((76 - nameLength - 2 - 12) / 4) * 3;
  const words: string[] = [];
  let chunk: number[] = [];
  for (const ch of value) {
    const bytes = encoder.encode(ch);
    if (chunk.length + bytes.length > (words.length ? 45 : firstMax)) {
      words.push(word(chunk));
      chunk = [];
    }
    chunk.push(...bytes);
  }
  if (chunk.length || !words.length) words.push(word(chunk));
  return words.join("\r\n ");
}

function word(bytes: number[]): string {
  return `=?utf-8?B?${base64(Uint8Array.from(bytes))}?=`;
}

/**
 * Quoted-printable body (RFC 2045 §6.7) of UTF-8 text: lines end in CRLF, no encoded line is
 * longer than 76 characters, trailing white space and `=` are encoded, and so is a leading `.`
 * or `From ` so no transport can mangle them.
 */
export function quotedPrintable(text: string): string {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  return lines.map(encodeLine).join("\r\n");
}

function encodeLine(line: string): string {
  const bytes = encoder.encode(line);
  const tokens: string[] = [];
  bytes.forEach((b, i) => {
    const last = i === bytes.length - 1;
    const literal =
      ((b >= 33 && b <= 126 && b !== 61) || ((b === 32 || b === 9) && !last)) &&
      !(i === 0 && b === 46) &&
      !(i === 0 && line.startsWith("From "));
    tokens.push(literal ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, "0")}`);
  });
  const out: string[] = [];
  let current = "";
  for (const token of tokens) {
    if (current.length + token.length > 75) {
      out.push(`${current}=`);
      current = "";
    }
    current += token;
  }
  out.push(current);
  return out.join("\r\n");
}
