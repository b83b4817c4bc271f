import type { Principal } from "./auth.ts";
import type { Runtime } from "./runtime.ts";

/** Hono's environment for every route: the runtime (as `deps`) and, after auth, the caller. */
export type AppEnv = {
  Variables: {
    deps: Runtime;
    principal: Principal;
  };
};
