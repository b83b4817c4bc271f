/// <reference types="node" />
import { readFileSync } from "node:fs";

/** The four official MeMo examples in fixtures/memo/samples (repository root). */
export const SAMPLE_NAMES = ["v1.1-full", "v1.1-minimum", "v1.2-full", "v1.2-minimum"] as const;
export type SampleName = (typeof SAMPLE_NAMES)[number];

/** The repository's fixtures/memo (MeMo schemas and official samples), from this file. */
export const MEMO_FIXTURES_DIR = new URL("../../../fixtures/memo/", import.meta.url);

/** The bytes of an official sample, as stored. */
export function sampleBytes(name: SampleName): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`samples/${name}.xml`, MEMO_FIXTURES_DIR)));
}

/** The text of an official sample without its byte-order mark. */
export function sampleText(name: SampleName): string {
  return new TextDecoder().decode(sampleBytes(name));
}

/** UTF-8 bytes of a string. */
export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** A sample rewritten the way postvej receives post: recipient an authority's CVR, a fresh v4 messageUUID. */
export function asAuthorityPost(xml: string, uuid: string, cvr = "29189846"): string {
  return xml
    .replace(/(<memo:MessageHeader>[\s\S]*?<memo:messageUUID>)[^<]*/, `$1${uuid}`)
    .replace(/(<memo:Recipient>\s*<memo:recipientID>)[^<]*(<\/memo:recipientID>\s*<memo:idType>)[^<]*/, `$1${cvr}$2CVR`);
}
