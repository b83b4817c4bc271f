import type { AppConfig } from "../config.ts";
import type { seedDemo } from "./seed-demo.ts";

/** What the start prints, at the address actually listened on (`PORT=0` takes any free port): where to look, the clock, the environment and what it allows, the tokens. */
export function startLines(o: {
  base: string;
  host: string;
  config: Pick<AppConfig, "simulatedClock" | "production" | "operatorToken">;
  generatedToken: boolean;
  seeded: Awaited<ReturnType<typeof seedDemo>> | undefined;
}): string[] {
  const { base, config, seeded } = o;
  return [
    `postvej is listening on ${base}`,
    `  health:        ${base}/healthz`,
    `  API contract:  ${base}/openapi.json`,
    `  clock:         ${config.simulatedClock ? "simulated (POST /v1/dev/clock to fast-forward)" : "real"}`,
    `  environment:   ${
      config.production
        ? "production (push endpoints https:// on public addresses only)"
        : "development (plain http:// to loopback and private addresses allowed; POSTVEJ_ENV=production for a real deployment)"
    }`,
    `  operator token: ${config.operatorToken}${o.generatedToken ? "   (generated; set POSTVEJ_OPERATOR_TOKEN to keep one)" : ""}`,
    ...(seeded
      ? [
          `  demo portal:   ${base}/demo`,
          `  demo authority: ${seeded.authority.name} (CVR ${seeded.authority.cvr})`,
          `  demo admin key:  ${seeded.adminKey}`,
          `  demo sender key: ${seeded.senderKey}`,
          `  try: curl -H "Authorization: Bearer ${seeded.adminKey}" ${base}/v1/authorities/${seeded.authority.cvr}/status`,
          // The demo page's host endpoints need no key (they stand in for a portal's backend).
          ...(isLoopback(o.host) ? [] : [`  warning: /demo/* mints portal tokens for anyone who can reach ${base}; keep HOST on loopback`]),
        ]
      : []),
  ];
}

function isLoopback(h: string): boolean {
  return h === "localhost" || h === "::1" || /^127\./.test(h);
}
