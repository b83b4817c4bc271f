import { readFileSync } from "node:fs";
import { join } from "node:path";

const SAMPLES = join(import.meta.dirname, "../../../../fixtures/memo/samples");

/** The official sample, as text. */
export function sample(name: "v1.1-full" | "v1.1-minimum" | "v1.2-full" | "v1.2-minimum"): string {
  return readFileSync(join(SAMPLES, `${name}.xml`), "utf8");
}

/**
 * A sample readdressed to an authority: the header's recipient becomes `cvr` (idType CVR), the
 * messageUUID fresh, and optionally a contact point and value date are set.
 */
export function memoFor(
  cvr: string,
  opts: { name?: Parameters<typeof sample>[0]; uuid?: string; contactPointId?: string | null; valueDate?: string | null } = {},
): { xml: string; uuid: string } {
  const uuid = opts.uuid ?? crypto.randomUUID();
  let xml = sample(opts.name ?? "v1.2-minimum");
  xml = xml.replace(/(<memo:MessageHeader>[\s\S]*?<memo:messageUUID>)[^<]*(<\/memo:messageUUID>)/, `$1${uuid}$2`);
  xml = xml.replace(
    /<memo:Recipient>\s*<memo:recipientID>[^<]*<\/memo:recipientID>\s*<memo:idType>[^<]*<\/memo:idType>/,
    `<memo:Recipient>\n\t\t\t<memo:recipientID>${cvr}</memo:recipientID>\n\t\t\t<memo:idType>CVR</memo:idType>`,
  );
  if (opts.contactPointId) {
    xml = xml.replace(/(<memo:Recipient>[\s\S]*?)(<\/memo:Recipient>)/, (_m, head: string, end: string) => {
      const withoutCp = head.replace(/<memo:ContactPoint>[\s\S]*?<\/memo:ContactPoint>\s*/, "");
      return `${withoutCp}<memo:ContactPoint><memo:contactPointID>${opts.contactPointId}</memo:contactPointID></memo:ContactPoint>\n\t\t${end}`;
    });
  }
  if (opts.valueDate !== undefined) {
    xml = xml.replace(/\s*<memo:doNotDeliverUntilDate>[^<]*<\/memo:doNotDeliverUntilDate>/, "");
    if (opts.valueDate)
      xml = xml.replace(
        /(<memo:label>[^<]*<\/memo:label>)/,
        `$1\n\t\t<memo:doNotDeliverUntilDate>${opts.valueDate}</memo:doNotDeliverUntilDate>`,
      );
  }
  return { xml, uuid: uuid.toLowerCase() };
}
