// Web-standard only: used by the Node tests and by the tests that run inside workerd.

/** What a test reads of an answer: status, headers, the text and, when it is JSON, the parsed body. */
export type Reply = { status: number; headers: Headers; text: string; json: any };

/** Reads a response whole; `json` is undefined when the body is empty or not JSON. */
export async function readReply(res: Response): Promise<Reply> {
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

type Answered = { status: number; json: any; text: string };

/** The JSON of an answer that has `status`; anything else fails loudly with the answer's text. */
export function must(r: Answered, status: number): any;
export function must(r: Promise<Answered>, status: number): Promise<any>;
export function must(r: Answered | Promise<Answered>, status: number): any {
  const check = (x: Answered) => {
    if (x.status !== status) throw new Error(`expected ${status}, got ${x.status}: ${x.text}`);
    return x.json;
  };
  return r instanceof Promise ? r.then(check) : check(r);
}
