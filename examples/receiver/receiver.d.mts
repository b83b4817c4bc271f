import type { IncomingHttpHeaders } from "node:http";

export function verifyPostvejSignature(
  secret: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
  nowSeconds?: number,
): Promise<boolean>;

export interface ReceivedMessage {
  messageUuid: string;
  contactPointId: string | null;
  attempt: number;
  body: Buffer;
}

export function startReceiver(options: {
  secret: string;
  port?: number;
  host?: string;
  maxBodyBytes?: number;
  onMessage?: (message: ReceivedMessage) => Promise<void>;
}): Promise<{ port: number; close: () => Promise<void> }>;
