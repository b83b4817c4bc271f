/** Why a push endpoint URL is refused; stable codes for the API's problem responses. */
export const ENDPOINT_PROBLEM = {
  invalidUrl: "endpoint_invalid_url",
  httpsRequired: "endpoint_https_required",
  credentials: "endpoint_credentials",
  nonPublicAddress: "endpoint_non_public_address",
} as const;
export type EndpointProblem = (typeof ENDPOINT_PROBLEM)[keyof typeof ENDPOINT_PROBLEM];

/** Result of {@link checkEndpoint}. */
export type EndpointCheck = { ok: true } | { ok: false; code: EndpointProblem; message: string };

/** Kinds of IP address; all but "public" are never a vendor's public endpoint. */
export type AddressKind =
  "public" | "unspecified" | "loopback" | "private" | "link-local" | "cgnat" | "unique-local" | "multicast" | "reserved";

/**
 * Whether `url` may be a recipient system's push endpoint: absolute https without credentials;
 * plain http only to loopback outside production; in production no non-public IP literal or localhost.
 *
 * Host names are not resolved here: a public name that resolves to a private address is caught
 * when connecting (`addressKind` on the resolved address; the Node entry does it in production,
 * Workers' egress never reaches private networks); this check stops the obvious and the
 * obfuscated literals at registration.
 */
export function checkEndpoint(url: string, options: { production: boolean }): EndpointCheck {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return fail(ENDPOINT_PROBLEM.invalidUrl, "the endpoint must be an absolute URL");
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    return fail(ENDPOINT_PROBLEM.httpsRequired, "the endpoint must be an https URL");
  }
  if (parsed.username !== "" || parsed.password !== "") {
    return fail(ENDPOINT_PROBLEM.credentials, "the endpoint must not carry a user name or password");
  }

  // WHATWG URL has already turned 0x7f.1, 2130706433, 0177.0.0.1 and friends into dotted quads
  // and IPv6 into its compressed hex form, so only canonical literals are left to classify.
  const host = parsed.hostname;
  const kind = classifyHost(host);
  if (parsed.protocol === "http:") {
    if (options.production || kind !== "loopback") {
      return fail(
        ENDPOINT_PROBLEM.httpsRequired,
        options.production ? "the endpoint must be an https URL" : "plain http is allowed only to loopback (127.0.0.0/8, ::1, localhost)",
      );
    }
    return { ok: true };
  }
  if (options.production && kind !== "public") {
    return fail(
      ENDPOINT_PROBLEM.nonPublicAddress,
      `${host} is not a public address (${kind}); the endpoint must be reachable from the internet`,
    );
  }
  return { ok: true };
}

/**
 * The kind of a resolved IP address as a resolver reports it ("10.0.0.1", "::ffff:10.0.0.1",
 * "fe80::1%eth0"); anything unparseable counts as "reserved".
 */
export function addressKind(ip: string): AddressKind {
  if (!ip.includes(":")) return /^\d+\.\d+\.\d+\.\d+$/.test(ip) ? classifyIpv4(ip.split(".").map(Number)) : "reserved";
  try {
    // WHATWG URL serializes IPv6 to eight hex groups, embedded IPv4 included; a zone id is dropped.
    return classifyHost(new URL(`http://[${ip.replace(/%.*$/, "")}]/`).hostname);
  } catch {
    return "reserved";
  }
}

function fail(code: EndpointProblem, message: string): EndpointCheck {
  return { ok: false, code, message };
}

function classifyHost(host: string): AddressKind {
  if (host.startsWith("[")) return classifyIpv6(host.slice(1, -1));
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) return classifyIpv4(host.split(".").map(Number));
  const name = host.endsWith(".") ? host.slice(0, -1) : host;
  // RFC 6761: localhost and everything under it is loopback, whatever DNS says.
  return name === "localhost" || name.endsWith(".localhost") ? "loopback" : "public";
}

function classifyIpv4(octets: number[]): AddressKind {
  const [a = 0, b = 0, c = 0] = octets;
  if (a === 0) return "unspecified"; // 0.0.0.0/8, "this network"
  if (a === 10) return "private";
  if (a === 100 && b >= 64 && b <= 127) return "cgnat"; // 100.64.0.0/10
  if (a === 127) return "loopback";
  if (a === 169 && b === 254) return "link-local";
  if (a === 172 && b >= 16 && b <= 31) return "private";
  if (a === 192 && b === 0 && c === 0) return "reserved"; // IETF protocol assignments
  if (a === 192 && b === 168) return "private";
  if (a === 198 && (b === 18 || b === 19)) return "reserved"; // benchmarking
  if (a >= 224 && a <= 239) return "multicast";
  if (a >= 240) return "reserved"; // includes 255.255.255.255
  return "public";
}

function classifyIpv6(text: string): AddressKind {
  const g = parseIpv6(text);
  if (!g) return "reserved";
  const [g0, g1, g2, g3, g4, g5, g6, g7] = g as [number, number, number, number, number, number, number, number];
  const upperZero = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  const embedded = (hi: number, lo: number) => classifyIpv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
  if (upperZero && g5 === 0 && g6 === 0 && g7 === 0) return "unspecified";
  if (upperZero && g5 === 0 && g6 === 0 && g7 === 1) return "loopback";
  if (upperZero && (g5 === 0xffff || g5 === 0)) return embedded(g6, g7); // v4-mapped, v4-compatible
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return embedded(g6, g7); // NAT64
  if (g0 === 0x2002) return embedded(g1, g2); // 6to4 carries the IPv4 address in bits 16–47
  if ((g0 & 0xffc0) === 0xfe80) return "link-local";
  if ((g0 & 0xffc0) === 0xfec0) return "private"; // deprecated site-local
  if ((g0 & 0xfe00) === 0xfc00) return "unique-local";
  if ((g0 & 0xff00) === 0xff00) return "multicast";
  return "public";
}

/** Eight 16-bit groups of an IPv6 literal in hex form (as WHATWG URL serializes it), or null. */
function parseIpv6(text: string): number[] | null {
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const parse = (s: string) => (s === "" ? [] : s.split(":").map((h) => (/^[0-9a-f]{1,4}$/i.test(h) ? parseInt(h, 16) : NaN)));
  const head = parse(halves[0] ?? "");
  const tail = halves.length === 2 ? parse(halves[1] ?? "") : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const groups = [...head, ...Array<number>(missing).fill(0), ...tail];
  return groups.some(Number.isNaN) ? null : groups;
}
