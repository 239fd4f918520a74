/**
 * Golden cases, shared by the runner (./golden.test.ts) and the integration
 * tests that load every golden into the real nft and dnsmasq.
 *
 * One folder per scenario under test/golden/<case>/: `description.md`, the
 * input `router.yaml`, the expected `nft.json` (canonical JSON: sorted keys,
 * two-space indent) and the expected dnsmasq files under `dnsmasq/`, at their
 * paths relative to the layout's directory (`dnsmasq/dnsmasq.conf`,
 * `dnsmasq/hosts.d/records`, ...).
 *
 * Binding: goldens name their LAN interfaces (`interface: ens7`), so each LAN
 * binds to that name; a case using `mac` or `auto` fails on purpose.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { canonicalJson } from "../../../agent/src/model/canonical-json.js";
import { parseRouterYaml } from "../../../agent/src/model/parse-yaml.js";
import type { BoundSpec, RouterSpec } from "../../../agent/src/model/types.js";
import { renderDnsmasq } from "../../../agent/src/render/dnsmasq.js";
import { renderNft } from "../../../agent/src/render/nft.js";

export const GOLDEN_DIR = fileURLToPath(new URL("../../golden/", import.meta.url));

/** The layout every golden renders with: the agent's real one. */
export const GOLDEN_LAYOUT = {
  dir: "/var/lib/router-agent/dnsmasq",
  leaseScript: "/opt/router-agent/lib/lease-hook",
};

/** The hand-written files of a case; everything else in it is rendered. */
export const GOLDEN_INPUTS = ["description.md", "router.yaml"];

/** The case folder names, sorted. */
export function goldenCases(): string[] {
  return readdirSync(GOLDEN_DIR)
    .filter((entry) => statSync(join(GOLDEN_DIR, entry)).isDirectory())
    .sort();
}

/** Binds LANs whose interface is given by name to that name; throws otherwise. */
export function bindByName(spec: RouterSpec, caseName: string): BoundSpec {
  return {
    ...spec,
    lans: spec.lans.map((lan) => {
      if (!("name" in lan.interface)) {
        throw new Error(`golden ${caseName}: LAN ${lan.name} must name its interface`);
      }
      return { ...lan, ifname: lan.interface.name };
    }),
  };
}

/** Parses, validates and binds a case's router.yaml; throws with every error if invalid. */
export function loadCase(name: string): BoundSpec {
  const parsed = parseRouterYaml(readFileSync(join(GOLDEN_DIR, name, "router.yaml"), "utf8"));
  if (!parsed.ok) {
    const errors = parsed.errors.map((e) => `${e.path}: ${e.message}`).join("\n");
    throw new Error(`golden ${name}: router.yaml is invalid:\n${errors}`);
  }
  return bindByName(parsed.value, name);
}

/** What the renderers produce for a case: path relative to the case folder -> content. */
export function renderCase(name: string): Map<string, string> {
  const bound = loadCase(name);
  const out = new Map<string, string>();
  out.set("nft.json", `${canonicalJson(renderNft(bound))}\n`);
  for (const f of renderDnsmasq(bound, GOLDEN_LAYOUT)) {
    out.set(join("dnsmasq", relative(GOLDEN_LAYOUT.dir, f.path)), f.content);
  }
  return out;
}

/** Every file under `dir`, as sorted relative paths. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full).map((f) => join(entry, f)));
    else out.push(entry);
  }
  return out.sort();
}
