// What the Workers tests' global setup (Node) hands to the tests inside workerd.
declare module "vitest" {
  export interface ProvidedContext {
    /** The sqld started for this run, e.g. `http://127.0.0.1:40123`. */
    libsqlUrl: string;
    /** The loopback recipient system (see loopback-receiver.ts). */
    receiverUrl: string;
    /** `v1.2-minimum.xml` from the shared MeMo samples. */
    memoSample: string;
    /** src/worker.ts bundled on the Node side: Node-only files and `node:*` imports it would pull in. */
    workerBundle: { nodeOnlyFiles: string[]; nodeImports: string[]; bytes: number };
    /** apps/widgets/dist/postvej-widgets.integrity.json: the versioned path and the SRI the widgets build printed. */
    widgetBuild: { path: string; version: string; integrity: string };
  }
}
export {};
