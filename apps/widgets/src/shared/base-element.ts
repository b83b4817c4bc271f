import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from "lit";
import type { Capability, Session } from "./api-types.ts";
import { ApiError, apiRequest, type ApiHost, type Method } from "./api-client.ts";
import type { ErrorDetail, TokenExpiringDetail } from "./events.ts";
import { messagesFor, resolveLang, type Lang, type Messages } from "./i18n/index.ts";

/** An API failure in words, by its status: unreachable (0), refused token (401), the usual 4xx, and 429/5xx as "try again". */
function refusalText(t: Messages, status: number): string {
  const c = t.common;
  if (status === 0 || status === 401) return status ? c.unauthorized : c.unreachable;
  return (c.refused as Record<number, string>)[status] ?? c.refused[status === 429 || status > 499 ? 500 : 422];
}

/** How long before `expiresAt` the panel asks for a new token. */
const REFRESH_LEAD_MS = 60_000;
/** How long a panel waits for the host to answer a token request after a 401. */
const TOKEN_WAIT_MS = 15_000;
/** The expiry timer asks at most this often, so a host whose tokens look already expired cannot make it loop. */
const MIN_EXPIRING_GAP_MS = 10_000;
/** setTimeout's upper bound. */
const MAX_TIMEOUT_MS = 2_147_483_647;

/**
 * Server wall clock minus browser clock, learnt from the session's `now`. Token expiry is security
 * time, the server's wall clock, so the refresh timer uses it; never the status `now`, which is
 * domain time and may be simulated (the demo fast-forwards it by days). Shared by every panel on
 * the page, since they talk to the same server.
 */
let serverSkewMs = 0;
const live = new Set<PostvejElement>();

/**
 * Shared base of the postvej panels: the embedding attributes (`api-base`, `authority`, `lang`,
 * `token`), the session and its capabilities, the token-refresh handshake, translations,
 * and a polite live region for announcements.
 */
export class PostvejElement extends LitElement implements ApiHost {
  static override properties = {
    apiBase: { attribute: "api-base" },
    authority: {},
    lang: { reflect: true },
    token: {},
    session: { state: true },
    announcement: { state: true },
    failure: { state: true },
  };

  /** Registers the element unless a copy of the script already did (loading twice is harmless). */
  static define(tag: string): void {
    if (!customElements.get(tag)) customElements.define(tag, this);
  }

  declare apiBase: string;
  declare authority: string;
  declare lang: string;
  declare token: string;
  declare session: Session | null;
  declare announcement: string;
  declare failure: string;

  #expiryTimer: ReturnType<typeof setTimeout> | undefined;
  #tokenWaiters: ((changed: boolean) => void)[] = [];
  #expiringSentFor = "";
  #expiringSentAt = Number.NEGATIVE_INFINITY;
  #failureStatus = 0;
  #pendingRefresh: Promise<boolean> | null = null;

  constructor() {
    super();
    this.apiBase = "";
    this.authority = "";
    this.lang = "da";
    this.token = "";
    this.session = null;
    this.announcement = "";
    this.failure = "";
  }

  /** The resolved language. */
  get language(): Lang {
    return resolveLang(this.lang);
  }

  /** Texts in the current language. */
  get t(): Messages {
    return messagesFor(this.language);
  }

  /** The BCP 47 locale used for dates and numbers. */
  get locale(): string {
    return this.t.locale;
  }

  /** Whether the current token grants a capability. */
  can(capability: Capability): boolean {
    return this.session?.capabilities.includes(capability) ?? false;
  }

  protected get ready(): boolean {
    return Boolean(this.apiBase && this.authority && this.token);
  }

  protected get authorityPath(): string {
    return `/v1/authorities/${encodeURIComponent(this.authority)}`;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    live.delete(this);
    clearTimeout(this.#expiryTimer);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    live.add(this);
    this.#retime();
  }

  #retime(): void {
    if (this.session) this.#scheduleExpiry(this.session.expiresAt);
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    let answeredAsk = false;
    if (changed.has("token")) {
      const waiters = this.#tokenWaiters;
      this.#tokenWaiters = [];
      for (const w of waiters) w(Boolean(this.token));
      answeredAsk = waiters.length > 0;
    }
    const target = changed.has("apiBase") || changed.has("authority");
    const firstToken = changed.has("token") && !changed.get("token");
    if (this.ready && (target || firstToken)) {
      void this.#loadSession().then(() => this.load());
    } else if (this.ready && changed.has("token")) {
      // A token that answers an ask after a 401: the call that asked retries with it and asks again
      // if it is refused too (a bounded number of times). This session load must not ask as well, or
      // a host whose tokens are all refused would be asked, and the API called, without end.
      void this.#loadSession({ askForToken: !answeredAsk });
    }
  }

  /** Records the server's wall clock (the session's `now`) and re-times the token refresh with it. */
  #noteServerNow(iso: string): void {
    const skew = Date.parse(iso) - Date.now();
    if (!Number.isFinite(skew) || Math.abs(skew - serverSkewMs) < 5_000) return;
    serverSkewMs = skew;
    for (const el of live) el.#retime();
  }

  /** Loads the panel's data; each panel overrides it. */
  protected async load(): Promise<void> {}

  async #loadSession(o: { askForToken?: boolean } = {}): Promise<void> {
    try {
      this.session = await apiRequest<Session>(this, "GET", "/v1/session", undefined, o);
      // The server's clock first: the refresh is timed by it, however far the browser's clock is off.
      if (this.session.now) this.#noteServerNow(this.session.now);
      // A session that loads means access is back; an earlier 401 shown in the panel no longer holds.
      if (this.#failureStatus === 401) this.failure = "";
      this.#scheduleExpiry(this.session.expiresAt);
    } catch (error) {
      this.reportError(error);
    }
  }

  #scheduleExpiry(expiresAt: string): void {
    clearTimeout(this.#expiryTimer);
    const delay = Date.parse(expiresAt) - REFRESH_LEAD_MS - (Date.now() + serverSkewMs);
    const token = this.token;
    this.#expiryTimer = setTimeout(
      () => {
        const recently = Date.now() - this.#expiringSentAt < MIN_EXPIRING_GAP_MS;
        if (this.token === token && this.#expiringSentFor !== token && !recently) {
          this.#expiringSentFor = token;
          this.#expiringSentAt = Date.now();
          this.#fireTokenExpiring("expiring");
        }
      },
      Math.min(Math.max(delay, 0), MAX_TIMEOUT_MS),
    );
  }

  #fireTokenExpiring(reason: TokenExpiringDetail["reason"]): void {
    this.emit("postvej-token-expiring", { authority: this.authority, reason });
  }

  /** Asks the host for a fresh token after a 401 and waits (bounded) for it to be set; concurrent asks share one event. */
  requestFreshToken(): Promise<boolean> {
    this.#pendingRefresh ??= this.#askForToken().finally(() => {
      this.#pendingRefresh = null;
    });
    return this.#pendingRefresh;
  }

  #askForToken(): Promise<boolean> {
    const before = this.token;
    const changed = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), TOKEN_WAIT_MS);
      this.#tokenWaiters.push((ok) => {
        clearTimeout(timer);
        resolve(ok);
      });
    });
    this.#fireTokenExpiring("unauthorized");
    // A host that answers synchronously has already set the token.
    if (this.token !== before && this.token) return Promise.resolve(true);
    return changed;
  }

  /** Calls the API with this element's base, token and refresh handshake. */
  protected api<T>(method: Method, path: string, body?: unknown): Promise<T> {
    return apiRequest<T>(this, method, path, body);
  }

  /** Shows an error in the panel, announces it, and tells the host page. */
  protected reportError(error: unknown): void {
    const detail: ErrorDetail =
      error instanceof ApiError
        ? { authority: this.authority, status: error.status, code: error.code, message: error.message }
        : { authority: this.authority, status: 0, code: "network", message: String(error) };
    // The reader gets words in the panel's language, not a stack or the API's English `detail` (that goes to the host in the event).
    const words = refusalText(this.t, detail.status);
    this.failure = `${this.t.common.error}: ${words}`;
    this.#failureStatus = detail.status;
    this.emit("postvej-error", detail);
  }

  /** Every panel's notices: its polite live region, "no access" without a token, and the error shown (`role="alert"`). */
  protected notices(): TemplateResult {
    return html`<div class="visually-hidden" role="status" aria-live="polite">${this.announcement}</div>
      ${this.token ? nothing : html`<p class="error" part="error">${this.t.common.notSignedIn}</p>`}
      ${this.failure ? html`<p class="error" part="error" role="alert">${this.failure}</p>` : nothing}`;
  }

  /** Says something to screen readers through the panel's live region. */
  protected announce(message: string): void {
    // Clearing first makes a repeated message be read again.
    this.announcement = "";
    void this.updateComplete.then(() => {
      this.announcement = message;
    });
  }

  /** Dispatches a `postvej-…` event that bubbles out of the shadow root. */
  protected emit<K extends keyof GlobalEventHandlersEventMap>(
    name: K,
    detail: GlobalEventHandlersEventMap[K] extends CustomEvent<infer D> ? D : never,
  ): void {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }
}
