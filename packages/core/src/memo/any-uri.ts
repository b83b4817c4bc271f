// libxml2 (2.9.x, xmlschemastypes.c + uri.c) reads xs:anyURI by replacing characters that are
// never allowed in a URI with '_' and then parsing an RFC 3986 URI-reference. This is a port of
// that reading so our verdict matches it; it is deliberately no stricter and no looser.

const INT_MAX = 2147483647;

function isAlpha(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}
function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
function isHex(c: number): boolean {
  return isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}
function isUnreserved(c: number): boolean {
  return isAlpha(c) || isDigit(c) || c === 0x2d || c === 0x2e || c === 0x5f || c === 0x7e;
}
function isSubDelim(c: number): boolean {
  return (
    c === 0x21 ||
    c === 0x24 ||
    c === 0x26 ||
    c === 0x27 ||
    c === 0x28 ||
    c === 0x29 ||
    c === 0x2a ||
    c === 0x2b ||
    c === 0x2c ||
    c === 0x3b ||
    c === 0x3d
  );
}

class UriReader {
  s: string;
  p = 0;
  constructor(s: string) {
    this.s = s;
  }
  c(off = 0): number {
    const i = this.p + off;
    return i < this.s.length ? this.s.charCodeAt(i) : 0;
  }
  pct(): boolean {
    return this.c() === 0x25 && isHex(this.c(1)) && isHex(this.c(2));
  }
  pchar(): boolean {
    const c = this.c();
    return isUnreserved(c) || this.pct() || isSubDelim(c) || c === 0x3a || c === 0x40;
  }
  next(): void {
    this.p += this.c() === 0x25 ? 3 : 1;
  }
  segment(forbid: number, empty: boolean): boolean {
    if (!this.pchar()) return empty;
    while (this.pchar() && this.c() !== forbid) this.next();
    return true;
  }
  pathAbEmpty(): boolean {
    while (this.c() === 0x2f) {
      this.p++;
      if (!this.segment(0, true)) return false;
    }
    return true;
  }
  pathAbsolute(): boolean {
    if (this.c() !== 0x2f) return false;
    this.p++;
    if (this.segment(0, false)) {
      while (this.c() === 0x2f) {
        this.p++;
        if (!this.segment(0, true)) return false;
      }
    }
    return true;
  }
  pathRest(forbid: number): boolean {
    if (!this.segment(forbid, false)) return false;
    while (this.c() === 0x2f) {
      this.p++;
      if (!this.segment(0, true)) return false;
    }
    return true;
  }
  authority(): boolean {
    const start = this.p;
    while (isUnreserved(this.c()) || this.pct() || isSubDelim(this.c()) || this.c() === 0x3a) this.next();
    if (this.c() === 0x40) this.p++;
    else this.p = start;
    if (this.c() === 0x5b) {
      const close = this.s.indexOf("]", this.p + 1);
      if (close === -1) return false;
      this.p = close + 1;
    } else {
      while (isUnreserved(this.c()) || this.pct() || isSubDelim(this.c())) this.next();
    }
    if (this.c() === 0x3a) {
      this.p++;
      if (!isDigit(this.c())) return false;
      let port = 0;
      while (isDigit(this.c())) {
        port = port * 10 + (this.c() - 0x30);
        if (port > INT_MAX) return false;
        this.p++;
      }
    }
    return true;
  }
  queryAndFragment(): boolean {
    if (this.c() === 0x3f) {
      this.p++;
      while (this.pchar() || this.c() === 0x2f || this.c() === 0x3f) this.next();
    }
    if (this.c() === 0x23) {
      this.p++;
      while (this.pchar() || this.c() === 0x2f || this.c() === 0x3f || this.c() === 0x5b || this.c() === 0x5d) this.next();
    }
    return this.p === this.s.length;
  }
  absolute(): boolean {
    if (!isAlpha(this.c())) return false;
    this.p++;
    while (isAlpha(this.c()) || isDigit(this.c()) || this.c() === 0x2b || this.c() === 0x2d || this.c() === 0x2e) this.p++;
    if (this.c() !== 0x3a) return false;
    this.p++;
    if (this.c() === 0x2f && this.c(1) === 0x2f) {
      this.p += 2;
      if (!this.authority() || !this.pathAbEmpty()) return false;
    } else if (this.c() === 0x2f) {
      if (!this.pathAbsolute()) return false;
    } else if (this.pchar()) {
      if (!this.pathRest(0)) return false;
    }
    return this.queryAndFragment();
  }
  relative(): boolean {
    this.p = 0;
    if (this.c() === 0x2f && this.c(1) === 0x2f) {
      this.p += 2;
      if (!this.authority() || !this.pathAbEmpty()) return false;
    } else if (this.c() === 0x2f) {
      if (!this.pathAbsolute()) return false;
    } else if (this.pchar()) {
      if (!this.pathRest(0x3a)) return false;
    }
    return this.queryAndFragment();
  }
}

/** True when libxml2 accepts the (whitespace-collapsed) value as an xs:anyURI. */
export function isAnyUri(value: string): boolean {
  // eslint-disable-next-line no-control-regex
  const cleaned = value.replace(/[\u0000-\u001f\u007f-\uffff <>"{}|\\^`]/g, "_");
  const r = new UriReader(cleaned);
  return r.absolute() || r.relative();
}

/**
 * True when `value` is, as written, an RFC 3986 URI-reference the way libxml2's xmlParseURI reads
 * one (no escaping first): libxml2 checks namespace names so and reports a namespace error otherwise.
 */
export function isUriReference(value: string): boolean {
  const r = new UriReader(value);
  return r.absolute() || r.relative();
}
