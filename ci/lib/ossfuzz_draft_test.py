#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""ossfuzz_draft_test.py: the OSS-Fuzz draft and ClusterFuzzLite agree.

fuzz/oss-fuzz/ (the OSS-Fuzz project draft) and .clusterfuzzlite/ build
the same thing the same way:

  * the same sanitizers in both project.yaml files, in the ClusterFuzzLite
    workflows' matrices and in ci/fuzz_ossfuzz_local.sh --matrix; the
    draft's engines are libfuzzer and afl, ClusterFuzzLite's libfuzzer
    (the only engine it runs), and --matrix checks every draft pair;
  * the draft has language c++, architectures x86_64 and its homepage,
    primary_contact and main_repo, each a marked FILL-IN until submitted;
  * both build.sh run $SRC/qemud-harness/fuzz/ossfuzz_build.sh;
  * both Dockerfiles start from OSS-Fuzz's base-builder and install the
    packages of ossfuzz_build.sh's `apt-packages:` line, no more (besides
    python3-pip, for CMake), no fewer, and the same CMake;
  * .clusterfuzzlite/Dockerfile clones nothing without a commit hash.

Then it checks itself: each of a set of broken copies must fail.

  ossfuzz_draft_test.py REPO
"""
import os
import re
import shutil
import sys
import tempfile

BUILDER = "gcr.io/oss-fuzz-base/base-builder"
TOOLING = {"python3-pip"}  # installs CMake; not something the build itself uses
BUILD_SCRIPT = "$SRC/qemud-harness/fuzz/ossfuzz_build.sh"


def read(repo, path):
    with open(os.path.join(repo, path)) as f:
        return f.read()


def parse_yaml(text):
    """project.yaml's subset: `key: value` and `key:` followed by `  - item`."""
    data, key = {}, None
    for line in text.splitlines():
        line = re.sub(r"\s+#.*$", "", line) if not line.lstrip().startswith("#") else ""
        if not line.strip():
            continue
        item = re.match(r"^\s+-\s*(.+)$", line)
        if item and key is not None:
            data.setdefault(key, []).append(item.group(1).strip().strip('"'))
            continue
        pair = re.match(r"^([A-Za-z_]+):\s*(.*)$", line)
        if pair:
            key, value = pair.group(1), pair.group(2).strip().strip('"')
            data[key] = value if value else []
    return data


def docker_runs(text):
    """Each RUN instruction of a Dockerfile, continuation lines joined."""
    joined = re.sub(r"\\\n", " ", text)
    return [line.strip()[4:] for line in joined.splitlines() if line.strip().startswith("RUN ")]


def apt_packages(text):
    packages = set()
    for run in docker_runs(text):
        for part in re.split(r"&&|;", run):
            words = part.split()
            if len(words) >= 2 and words[0] == "apt-get" and "install" in words:
                packages |= {w for w in words[words.index("install") + 1:] if not w.startswith("-")}
    return packages


def pip_specs(text):
    return sorted(re.findall(r"pip3? install[^&;]*?'([^']+)'", "\n".join(docker_runs(text))))


def check(repo):
    problems = []
    cfl = parse_yaml(read(repo, ".clusterfuzzlite/project.yaml"))
    draft = parse_yaml(read(repo, "fuzz/oss-fuzz/project.yaml"))
    sanitizers = set(draft.get("sanitizers", []))
    if sanitizers != {"address", "undefined"}:
        problems.append("fuzz/oss-fuzz/project.yaml: sanitizers %s, expected address and undefined" % sorted(sanitizers))
    if set(cfl.get("sanitizers", [])) != sanitizers:
        problems.append(".clusterfuzzlite/project.yaml: sanitizers %s, the draft's are %s"
                        % (sorted(cfl.get("sanitizers", [])), sorted(sanitizers)))
    engines = set(draft.get("fuzzing_engines", []))
    if engines != {"libfuzzer", "afl"}:
        problems.append("fuzz/oss-fuzz/project.yaml: fuzzing_engines %s, expected libfuzzer and afl" % sorted(engines))
    if cfl.get("fuzzing_engines") != ["libfuzzer"]:
        problems.append(".clusterfuzzlite/project.yaml: fuzzing_engines %s, expected libfuzzer (the only engine it runs)"
                        % cfl.get("fuzzing_engines"))
    for name, data in ((".clusterfuzzlite", cfl), ("fuzz/oss-fuzz", draft)):
        if data.get("language") != "c++":
            problems.append("%s/project.yaml: language %r, expected c++" % (name, data.get("language")))
    if draft.get("architectures") != ["x86_64"]:
        problems.append("fuzz/oss-fuzz/project.yaml: architectures %s, expected x86_64" % draft.get("architectures"))
    for key in ("homepage", "primary_contact", "main_repo"):
        if not isinstance(draft.get(key), str) or not draft.get(key):
            problems.append("fuzz/oss-fuzz/project.yaml: no %s" % key)

    for workflow in sorted(os.listdir(os.path.join(repo, ".github", "workflows"))):
        if not workflow.startswith("cflite_"):
            continue
        for matrix in re.findall(r"sanitizer:\s*\[([^\]]*)\]", read(repo, os.path.join(".github", "workflows", workflow))):
            listed = {s.strip() for s in matrix.split(",")}
            if listed != sanitizers:
                problems.append(".github/workflows/%s: sanitizer matrix %s, project.yaml's is %s"
                                % (workflow, sorted(listed), sorted(sanitizers)))
    pairs = re.search(r"for pair in ([a-z: ]+); do", read(repo, "ci/fuzz_ossfuzz_local.sh"))
    want = {"%s:%s" % (e, s) for e in engines for s in sanitizers}
    if not pairs or set(pairs.group(1).split()) != want:
        problems.append("ci/fuzz_ossfuzz_local.sh --matrix runs %s, the draft's pairs are %s"
                        % (pairs and sorted(pairs.group(1).split()), sorted(want)))

    for path in (".clusterfuzzlite/build.sh", "fuzz/oss-fuzz/build.sh"):
        commands = [l for l in read(repo, path).splitlines() if l.strip() and not l.lstrip().startswith("#")]
        if not any(BUILD_SCRIPT in l for l in commands):
            problems.append("%s does not run %s" % (path, BUILD_SCRIPT))

    needed = re.search(r"^# apt-packages:(.*)$", read(repo, "fuzz/ossfuzz_build.sh"), re.M)
    needed = set(needed.group(1).split()) if needed else set()
    if not needed:
        problems.append("fuzz/ossfuzz_build.sh: no `# apt-packages:` line")
    cmake = None
    for path in (".clusterfuzzlite/Dockerfile", "fuzz/oss-fuzz/Dockerfile"):
        text = read(repo, path)
        if not re.search(r"^FROM %s\s*$" % re.escape(BUILDER), text, re.M):
            problems.append("%s: not FROM %s" % (path, BUILDER))
        installed = apt_packages(text) - TOOLING
        if installed != needed:
            problems.append("%s: installs %s; ossfuzz_build.sh needs %s (missing: %s, unused: %s)"
                            % (path, sorted(installed), sorted(needed), sorted(needed - installed),
                               sorted(installed - needed)))
        specs = pip_specs(text)
        if cmake is not None and specs != cmake:
            problems.append("%s: pip installs %s, the other Dockerfile %s" % (path, specs, cmake))
        cmake = specs
    for run in docker_runs(read(repo, ".clusterfuzzlite/Dockerfile")):
        if re.search(r"\bgit\s+clone\b", run) and not re.search(r"\b[0-9a-f]{40}\b", run):
            problems.append(".clusterfuzzlite/Dockerfile: a git clone with no commit hash: %s" % run.strip()[:120])
    draft_docker = read(repo, "fuzz/oss-fuzz/Dockerfile")
    if not re.search(r"git clone .*\$SRC/qemud-harness", draft_docker):
        problems.append("fuzz/oss-fuzz/Dockerfile: does not clone the project into $SRC/qemud-harness")
    if not re.search(r"^COPY build\.sh \$SRC/", draft_docker, re.M):
        problems.append("fuzz/oss-fuzz/Dockerfile: does not copy build.sh to $SRC/")
    return problems


# Broken copies, each of which check() must fail: (what, file, old, new).
BREAKAGES = [
    ("a sanitizer dropped from the draft", "fuzz/oss-fuzz/project.yaml", "  - undefined\n", ""),
    ("afl dropped from the draft", "fuzz/oss-fuzz/project.yaml", "  - afl\n", ""),
    ("a sanitizer dropped from ClusterFuzzLite", ".clusterfuzzlite/project.yaml", "  - address\n", ""),
    ("a workflow matrix without undefined", ".github/workflows/cflite_pr.yml", "[address, undefined]", "[address]"),
    ("build.sh not running ossfuzz_build.sh", ".clusterfuzzlite/build.sh", 'exec bash "$SRC/qemud-harness/fuzz/ossfuzz_build.sh"',
     'exec bash "$SRC/qemud-harness/fuzz/other.sh"'),
    ("a package the build needs not installed", "fuzz/oss-fuzz/Dockerfile", " libtirpc-dev", ""),
    ("a package the build does not use", ".clusterfuzzlite/Dockerfile", "ninja-build", "ninja-build libboost-dev"),
    ("an unpinned clone", ".clusterfuzzlite/Dockerfile", "COPY . $SRC/qemud-harness",
     "RUN git clone --depth 1 --branch v2.1.2 https://example.invalid/CLI11 /tmp/cli11\nCOPY . $SRC/qemud-harness"),
    ("a pair missing from --matrix", "ci/fuzz_ossfuzz_local.sh", " afl:undefined; do", "; do"),
]


def self_test(repo):
    problems = []
    files = sorted({b[1] for b in BREAKAGES} | {"fuzz/ossfuzz_build.sh", "fuzz/oss-fuzz/build.sh"})
    for what, path, old, new in BREAKAGES:
        with tempfile.TemporaryDirectory() as tmp:
            for f in files + [os.path.join(".github", "workflows", w)
                              for w in os.listdir(os.path.join(repo, ".github", "workflows"))]:
                os.makedirs(os.path.dirname(os.path.join(tmp, f)), exist_ok=True)
                shutil.copy(os.path.join(repo, f), os.path.join(tmp, f))
            text = read(tmp, path)
            if old not in text:
                problems.append("self-test %r: %r not in %s (update BREAKAGES)" % (what, old, path))
                continue
            with open(os.path.join(tmp, path), "w") as f:
                f.write(text.replace(old, new, 1))
            found = check(tmp)
            print("self-test: %-45s %s" % (what, "caught: " + found[0] if found else "NOT CAUGHT"))
            if not found:
                problems.append("self-test %r: the check passed a broken copy" % what)
    return problems


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    repo = os.path.abspath(sys.argv[1])
    problems = check(repo)
    if not problems:
        print("ossfuzz_draft: fuzz/oss-fuzz/ and .clusterfuzzlite/ agree")
    problems += self_test(repo)
    for p in problems:
        print("FAIL: " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
