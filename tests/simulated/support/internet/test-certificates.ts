/**
 * Test-only: a throwaway certificate authority for the simulated load balancers, made with
 * /usr/bin/openssl (as tests/lambda/setup/global-setup.mjs does for PostgreSQL). Each certificate
 * carries exactly the names of the ACM certificate it stands in for, so the client's own
 * host-name verification decides whether a name is covered.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const OPENSSL = "/usr/bin/openssl";
const EC_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

export interface KeyPair {
  readonly cert: string;
  readonly key: string;
}

export interface TestCertificateAuthority {
  /** The CA certificate (PEM): the only root the simulated client trusts. */
  readonly caCert: string;
  /** A server certificate for these DNS names, signed by the CA; one per distinct name set. */
  issue(names: readonly string[]): KeyPair;
  dispose(): void;
}

export function createTestCertificateAuthority(): TestCertificateAuthority {
  const dir = mkdtempSync(join(tmpdir(), "tap-dr-simulated-ca-"));
  const openssl = (args: string[]) =>
    execFileSync(OPENSSL, args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  // The same two-step commands as the PostgreSQL certificates (`req`, then `x509 -req -CA`),
  // which OpenSSL 1.1.1 and LibreSSL accept too; `req -x509 -CA` needs OpenSSL 3.
  try {
    openssl([
      "req",
      "-x509",
      ...EC_KEY,
      "-days",
      "2",
      "-subj",
      "/CN=tap-dr simulated load balancer CA",
      "-keyout",
      "ca.key",
      "-out",
      "ca.pem",
    ]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const caCert = readFileSync(join(dir, "ca.pem"), "utf8");
  const issued = new Map<string, KeyPair>();

  return {
    caCert,
    issue(names) {
      const key = [...names].sort().join(",");
      const known = issued.get(key);
      if (known !== undefined) return known;
      if (names.length === 0) throw new Error("a certificate needs at least one name");
      const file = `leaf-${issued.size}`;
      // ACM puts the domain name in the CN (at most 64 characters) and every name in the SANs.
      openssl([
        "req",
        "-new",
        ...EC_KEY,
        "-subj",
        `/CN=${names[0].slice(0, 64)}`,
        "-keyout",
        `${file}.key`,
        "-out",
        `${file}.csr`,
      ]);
      writeFileSync(
        join(dir, `${file}.ext`),
        [
          "basicConstraints=critical,CA:FALSE",
          `subjectAltName=${names.map((name) => `DNS:${name}`).join(",")}`,
          "extendedKeyUsage=serverAuth",
          "",
        ].join("\n"),
      );
      openssl([
        "x509",
        "-req",
        "-in",
        `${file}.csr`,
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        `${file}.ext`,
        "-out",
        `${file}.pem`,
      ]);
      const pair = {
        cert: readFileSync(join(dir, `${file}.pem`), "utf8"),
        key: readFileSync(join(dir, `${file}.key`), "utf8"),
      };
      issued.set(key, pair);
      return pair;
    },
    dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
