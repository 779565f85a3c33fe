import { describe, expect, test } from "bun:test";
import { compareVersions, isVersionFolderName, latestVersion } from "../../src/versions/version-name.ts";
import { servedVersions } from "../../src/versions/version-policy.ts";

describe("version names and their order", () => {
  test("whole numbers (Triton) and semver-like names are version folders; other names are not", () => {
    for (const name of ["1", "2", "10", "1.2", "1.2.0", "2.0.0-rc.1"]) expect(isVersionFolderName(name), name).toBe(true);
    for (const name of ["onnx", "v1", "latest", "1.2.3.4", "-1", "1_0", ""]) expect(isVersionFolderName(name), name).toBe(false);
  });

  test("numbers compare as numbers, part by part; a pre-release comes before its release", () => {
    expect(["10", "2", "1"].sort(compareVersions)).toEqual(["1", "2", "10"]);
    expect(["1.10.0", "1.9.0", "1.2"].sort(compareVersions)).toEqual(["1.2", "1.9.0", "1.10.0"]);
    expect(["2.0.0", "2.0.0-rc.2", "2.0.0-rc.10", "1.9.9"].sort(compareVersions)).toEqual(["1.9.9", "2.0.0-rc.2", "2.0.0-rc.10", "2.0.0"]);
    expect(latestVersion(["3", "12", "9"])).toBe("12");
  });

  test("names that are not semver-like still have a stable order (digit runs as numbers)", () => {
    expect(["blue-10", "blue-9", "amber"].sort(compareVersions)).toEqual(["amber", "blue-9", "blue-10"]);
  });
});

describe("version policy", () => {
  const found = ["3", "1", "10", "2"];

  test("all (the default when a manifest sets none): every version, oldest first", () => {
    expect(servedVersions(found, { all: true })).toEqual(["1", "2", "3", "10"]);
  });

  test("latest N: the N newest by version order, not by name order", () => {
    expect(servedVersions(found, { latest: 2 })).toEqual(["3", "10"]);
    expect(servedVersions(found, { latest: 99 })).toEqual(["1", "2", "3", "10"]);
  });

  test("specific: the listed versions that exist", () => {
    expect(servedVersions(found, { specific: ["2", "7", "1"] })).toEqual(["1", "2"]);
  });

  test("forced versions (the default, versions routing names) are served whatever the policy, if they exist", () => {
    expect(servedVersions(found, { latest: 1 }, ["1", "99"])).toEqual(["1", "10"]);
  });
});
