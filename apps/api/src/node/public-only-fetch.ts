import { lookup, type LookupAddress } from "node:dns";
import { addressKind, type AddressKind } from "@postvej/core/delivery";
import { Agent, fetch as undiciFetch } from "undici";

/** The `code` of the error a push fails with when its endpoint's name resolves to a non-public address. */
export const NON_PUBLIC_ADDRESS = "POSTVEJ_NON_PUBLIC_ADDRESS";

/** Resolves a host name to every address it has (dns.lookup with `all` by default). */
export type Resolve = (hostname: string, done: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

const systemResolve: Resolve = (hostname, done) => lookup(hostname, { all: true }, done);

/**
 * A fetch for pushes that connects only to public addresses: the endpoint's name is resolved at
 * connect time and, if any address it has is private, loopback, link-local or otherwise not
 * public, the push fails (`non_public_address`) before a byte is sent. This closes what checking
 * the URL at registration cannot: a public name pointing (or re-pointed) into the network postvej
 * runs in. The Node entry uses it in production; IP literals are refused by the endpoint policy.
 */
export function publicOnlyFetch(options: PublicOnlyOptions = {}): typeof fetch {
  return fetchThrough(publicOnlyAgent(options));
}

/** How {@link publicOnlyAgent} resolves names and which address kinds it lets through (public only by default). */
export type PublicOnlyOptions = { resolve?: Resolve; allow?: (kind: AddressKind) => boolean };

/** The undici dispatcher behind {@link publicOnlyFetch}: it connects only to addresses `allow` admits. */
export function publicOnlyAgent(options: PublicOnlyOptions = {}): Agent {
  const resolve = options.resolve ?? systemResolve;
  const allow = options.allow ?? ((kind) => kind === "public");
  return new Agent({
    connect: {
      lookup: (
        hostname: string,
        opts: { all?: boolean },
        callback: (err: Error | null, address: string | LookupAddress[], family?: number) => void,
      ) => {
        resolve(hostname, (err, addresses) => {
          if (err) return callback(err, opts.all ? [] : "", 0);
          const refused = addresses.find((a) => !allow(addressKind(a.address)));
          if (refused || addresses.length === 0) {
            const why = refused
              ? `${hostname} resolves to ${refused.address}, a ${addressKind(refused.address)} address`
              : `${hostname} has no address`;
            return callback(Object.assign(new Error(why), { code: NON_PUBLIC_ADDRESS }), opts.all ? [] : "", 0);
          }
          if (opts.all) return callback(null, addresses);
          const first = addresses[0]!;
          callback(null, first.address, first.family);
        });
      },
    },
  });
}

/** undici's fetch through `agent`. */
export function fetchThrough(agent: Agent): typeof fetch {
  return ((input: RequestInfo | URL, init?: RequestInit) =>
    undiciFetch(
      input as Parameters<typeof undiciFetch>[0],
      { ...(init as object), dispatcher: agent } as Parameters<typeof undiciFetch>[1],
    )) as unknown as typeof fetch;
}
