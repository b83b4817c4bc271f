import { describe, expect, it } from "vitest";
import { addressKind, checkEndpoint } from "./endpoint-policy.ts";

const prod = { production: true };
const dev = { production: false };
const codeOf = (url: string, options: { production: boolean }) => {
  const result = checkEndpoint(url, options);
  return result.ok ? "ok" : result.code;
};

describe("checkEndpoint: URL shape", () => {
  it.each([
    ["https://vendor.example/postvej/inbox", "ok"],
    ["https://vendor.example:8443/inbox?tenant=1", "ok"],
    ["HTTPS://Vendor.Example/", "ok"],
    ["https://8.8.8.8/", "ok"],
    ["https://[2001:db8::1]/", "ok"],
    ["/relative/path", "endpoint_invalid_url"],
    ["vendor.example/inbox", "endpoint_invalid_url"],
    ["", "endpoint_invalid_url"],
    ["https://", "endpoint_invalid_url"],
    ["https://1.2.3.4.5/", "endpoint_invalid_url"],
    ["ftp://vendor.example/", "endpoint_https_required"],
    ["javascript:alert(1)", "endpoint_https_required"],
    ["http://vendor.example/", "endpoint_https_required"],
    ["https://user:secret@vendor.example/", "endpoint_credentials"],
    ["https://user@vendor.example/", "endpoint_credentials"],
    ["https://:secret@vendor.example/", "endpoint_credentials"],
  ])("%s → %s (both modes)", (url, code) => {
    expect(codeOf(url, prod)).toBe(code);
    expect(codeOf(url, dev)).toBe(code);
  });

  it("gives a message a person can act on", () => {
    expect(checkEndpoint("http://vendor.example/", dev)).toEqual({
      ok: false,
      code: "endpoint_https_required",
      message: "plain http is allowed only to loopback (127.0.0.0/8, ::1, localhost)",
    });
    const refused = checkEndpoint("https://10.1.2.3/", prod);
    expect(refused.ok === false && refused.message).toContain("10.1.2.3 is not a public address (private)");
  });
});

describe("checkEndpoint: plain http", () => {
  it.each([
    "http://127.0.0.1:8080/inbox",
    "http://127.9.9.9/",
    "http://[::1]:3000/",
    "http://localhost:3000/",
    "http://LOCALHOST./",
    "http://0x7f.1/",
    "http://2130706433/",
  ])("%s is allowed outside production only", (url) => {
    expect(codeOf(url, dev)).toBe("ok");
    expect(codeOf(url, prod)).toBe("endpoint_https_required");
  });

  it.each(["http://10.0.0.1/", "http://192.168.1.1/", "http://[fe80::1]/", "http://8.8.8.8/", "http://128.0.0.1/"])(
    "%s is refused even outside production",
    (url) => expect(codeOf(url, dev)).toBe("endpoint_https_required"),
  );
});

describe("checkEndpoint: non-public addresses in production", () => {
  it.each([
    // IPv4, including the spellings WHATWG URL normalizes
    "https://0.0.0.0/",
    "https://0/",
    "https://127.0.0.1/",
    "https://127.1/",
    "https://0x7f000001/",
    "https://2130706433/",
    "https://017700000001/",
    "https://0177.0.0.1/",
    "https://0x7f.0.0.1/",
    "https://127.0.0.1./",
    "https://%31%32%37.0.0.1/",
    "https://10.0.0.1/",
    "https://10.255.255.255/",
    "https://172.16.0.1/",
    "https://172.31.255.255/",
    "https://192.168.0.1/",
    "https://0xc0.0xa8.1.1/",
    "https://3232235777/",
    "https://169.254.169.254/latest/meta-data/",
    "https://100.64.0.1/",
    "https://100.127.255.255/",
    "https://224.0.0.1/",
    "https://255.255.255.255/",
    "https://192.0.0.1/",
    "https://198.18.0.1/",
    // IPv6
    "https://[::]/",
    "https://[::1]/",
    "https://[0:0:0:0:0:0:0:1]/",
    "https://[fe80::1]/",
    "https://[febf:ffff::1]/",
    "https://[fc00::1]/",
    "https://[fd12:3456:789a::1]/",
    "https://[fec0::1]/",
    "https://[ff02::1]/",
    // IPv4 inside IPv6
    "https://[::ffff:127.0.0.1]/",
    "https://[::ffff:7f00:1]/",
    "https://[::ffff:10.0.0.1]/",
    "https://[::ffff:169.254.169.254]/",
    "https://[0:0:0:0:0:ffff:c0a8:101]/",
    "https://[::127.0.0.1]/",
    "https://[64:ff9b::10.0.0.1]/",
    "https://[2002:c0a8:0101::1]/",
    // names that are loopback by definition
    "https://localhost/",
    "https://localhost./",
    "https://api.localhost/",
  ])("%s is refused", (url) => {
    expect(codeOf(url, prod)).toBe("endpoint_non_public_address");
  });

  it.each([
    "https://1.1.1.1/",
    "https://100.63.255.255/",
    "https://100.128.0.1/",
    "https://172.15.255.255/",
    "https://172.32.0.1/",
    "https://192.167.1.1/",
    "https://169.253.1.1/",
    "https://126.255.255.255/",
    "https://128.0.0.1/",
    "https://[2606:4700::1111]/",
    "https://[::ffff:8.8.8.8]/",
    "https://[64:ff9b::8.8.8.8]/",
    "https://[2002:808:808::1]/",
    "https://[fe7f::1]/",
    "https://localhost.vendor.example/",
    "https://mylocalhost/",
  ])("%s is allowed", (url) => {
    expect(codeOf(url, prod)).toBe("ok");
  });

  it("lets https reach private and loopback hosts outside production (test rigs, on-prem staging)", () => {
    expect(codeOf("https://127.0.0.1:8443/", dev)).toBe("ok");
    expect(codeOf("https://10.0.0.5/", dev)).toBe("ok");
  });
});

describe("addressKind: resolved addresses, as a resolver reports them", () => {
  it.each([
    ["93.184.216.34", "public"],
    ["2a00:1450:4001:82b::200e", "public"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["192.168.0.10", "private"],
    ["127.0.0.1", "loopback"],
    ["::1", "loopback"],
    ["169.254.169.254", "link-local"],
    ["fe80::1%eth0", "link-local"],
    ["100.64.0.1", "cgnat"],
    ["fd12:3456::1", "unique-local"],
    ["::ffff:10.0.0.1", "private"],
    ["::ffff:a00:1", "private"],
    ["64:ff9b::a9fe:a9fe", "link-local"],
    ["0.0.0.0", "unspecified"],
    ["not an address", "reserved"],
    ["1.2.3", "reserved"],
  ])("%s → %s", (ip, kind) => expect(addressKind(ip)).toBe(kind));
});
