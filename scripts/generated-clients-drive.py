"""Drives the clients openapi-python-client generated from the vendors' own API descriptions
against `vouch mock serve`, and requires every answer to parse (issue #26 point 3).

    python scripts/generated-clients-drive.py CLIENTS_DIR MOCK_OUT ALLOW_FILE PATCHES_APPLIED \
        [--inject-fault JSON]

CLIENTS_DIR holds one generated package per API (`trusona_client`, ...); MOCK_OUT is what
`vouch mock serve` printed (its URL and the credentials it accepts: nothing secret is needed
here); ALLOW_FILE is the reasoned list; PATCHES_APPLIED the `API patch ID` lines the patch step
printed; --inject-fault posts JSON to the mock's /__admin/faults after its reset (the script's
self-check).

Each API's flow calls every operation its generated client exposes, in the order a business would
(create, then read back, ...), with the mock's test users and keys (README § The mock,
features/<api>/README.md). An answer is *parsed* when the generated code returns without raising,
the client set to raise on a status its description does not document. Otherwise the call has a
finding, named without any value from the answer (no PII or secret reaches the output):

    <api> <operationId> <status> not-served           the mock has no such operation (its journal
                                                      names none): the answer is its unknown path
    <api> <operationId> <status> undocumented-status  the description documents no such status
    <api> <operationId> <status> not-json             the body is not JSON where JSON is described
    <api> <operationId> <status> <Model>.<member>     that member of that generated model refused
                                                      the answer's value (the JSON member name)

Exit 1 when a finding is not in ALLOW_FILE, when a listed entry did not occur (stale: fixed, so
remove it), when a patch applied is not listed or a listed patch was not applied, or when an
operation the client exposes was not driven. A table per API is printed first.
"""

import importlib
import importlib.util
import json
import linecache
import os
import pkgutil
import re
import sys
import traceback
import urllib.request
from dataclasses import dataclass, field

import httpx

USAGE = ("usage: generated-clients-drive.py CLIENTS_DIR MOCK_OUT ALLOW_FILE PATCHES_APPLIED"
         " [--inject-fault JSON]")


@dataclass
class Call:
    api: str
    operation: str
    status: int | None
    findings: list = field(default_factory=list)


@dataclass
class Api:
    name: str
    package: object
    client: object
    exposed: set
    driven: set = field(default_factory=set)


class Driver:
    def __init__(self, clients_dir: str, mock_out: str):
        sys.path.insert(0, clients_dir)
        self.clients_dir = os.path.abspath(clients_dir)
        self.base, self.credentials = read_mock_out(mock_out)
        self.calls: list[Call] = []
        self.apis: dict[str, Api] = {}
        self.last_status = None

    # -- the mock ------------------------------------------------------------------------------
    def admin(self, method: str, path: str, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.base}/__admin{path}", data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            text = answer.read()
        return json.loads(text) if text else None

    def served(self, api: str) -> bool:
        """Whether the mock's journal names an operation for the last request to `api`."""
        journal = self.admin("GET", f"/requests?api={api}")["requests"]
        return bool(journal) and bool(journal[-1].get("operationId"))

    # -- the clients ---------------------------------------------------------------------------
    def open(self, api: str, package_name: str, token: str, prefix: str = "Bearer"):
        package = importlib.import_module(package_name)
        api_package = importlib.import_module(f"{package_name}.api")
        exposed = set()
        for tag in pkgutil.iter_modules(api_package.__path__):
            tag_package = importlib.import_module(f"{package_name}.api.{tag.name}")
            for module in pkgutil.iter_modules(tag_package.__path__):
                exposed.add(f"{package_name}.api.{tag.name}.{module.name}")

        def remember(response):
            self.last_status = response.status_code

        client = package.AuthenticatedClient(
            base_url=f"{self.base}/{api}", token=token, prefix=prefix,
            raise_on_unexpected_status=True, timeout=httpx.Timeout(10.0),
            httpx_args={"event_hooks": {"response": [remember]}})
        self.apis[api] = Api(api, package, client, exposed)
        return self.apis[api]

    def call(self, api: str, operation: str, function, **kwargs):
        """Calls one generated operation; returns its parsed answer (None when it did not parse)."""
        state = self.apis[api]
        state.driven.add(function.__module__)
        errors = importlib.import_module(f"{state.package.__name__}.errors")
        self.last_status = None
        parsed, finding = None, None
        try:
            parsed = function(client=state.client, **kwargs).parsed
        except errors.UnexpectedStatus as e:
            self.last_status, finding = e.status_code, "undocumented-status"
        except json.JSONDecodeError:
            finding = "not-json"
        except Exception:  # noqa: BLE001 - whatever the generated model raised is the finding
            finding = locate(sys.exc_info()[2], state.package.__name__)
        if not self.served(api):
            finding, parsed = "not-served", None
        call = Call(api, operation, self.last_status, [finding] if finding else [])
        self.calls.append(call)
        return parsed

    def subject(self, method: str, url: str, **kwargs) -> dict:
        """The person on the mock's own pages (Trusona's link): plain HTTP, not the client."""
        answer = httpx.request(method, url, timeout=10.0, **kwargs)
        answer.raise_for_status()
        return answer.json()


def read_mock_out(path: str):
    """The mock's URL and, per API, the credentials it printed (the default tenant first)."""
    base, credentials, api = None, {}, None
    for line in open(path, encoding="utf-8"):
        m = re.match(r"^vouch mock listening on (\S+)$", line)
        if m:
            base = m.group(1)
        # `  peach     Peach Finance ... API http://host/peach`: the API's id, its title, its URL.
        m = re.match(r"^  (\w+) +.*http\S+$", line)
        if m:
            api = m.group(1)
        m = re.match(r"^ +tenant +(\S+) +credential (\S+)", line)
        if m and api:
            credentials.setdefault(api, {})[m.group(1)] = m.group(2)
    if not base:
        raise SystemExit(f"{path}: no `vouch mock listening on` line")
    return base, credentials


def locate(tb, package: str) -> str:
    """`Model.member` for the generated model code that raised, from the traceback alone (the
    exception's message may quote the value, which may be PII)."""
    frames = [f for f, _ in traceback.walk_tb(tb) if f.f_code.co_filename.startswith(
        os.path.join(sys.modules[package].__path__[0], "models"))]
    if not frames:
        return "parse"
    frame = frames[-1]
    model = next((f.f_locals["cls"].__name__ for f in reversed(frames)
                  if isinstance(f.f_locals.get("cls"), type)), "?")
    filename, lineno = frame.f_code.co_filename, frame.f_lineno
    line = linecache.getline(filename, lineno)
    direct = re.search(r'd\.pop\("([^"]+)"', line)
    if direct:
        return f"{model}.{direct.group(1)}"
    candidates = re.findall(r"^\s*(\w+)\s*=", line)
    if frame.f_code.co_name.startswith("_parse_"):
        candidates.append(frame.f_code.co_name[len("_parse_"):])
    for candidate in candidates:
        stem = re.sub(r"_(type_\d+|item)$", "", candidate.lstrip("_"))
        for number in range(lineno, 0, -1):
            popped = re.search(rf'_{stem} = d\.pop\("([^"]+)"', linecache.getline(filename, number))
            if popped:
                return f"{model}.{popped.group(1)}"
    return f"{model}.{candidates[0] if candidates else frame.f_code.co_name}"


def read_allow(path: str):
    """`key # reason` lines; a line without a reason is an error."""
    allowed, bad = {}, []
    for number, line in enumerate(open(path, encoding="utf-8"), 1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        key, sep, reason = text.partition(" # ")
        if not sep or not reason.strip():
            bad.append(f"{path}:{number}: no ` # reason`: {text}")
            continue
        allowed[" ".join(key.split())] = reason.strip()
    return allowed, bad


def report(driver: Driver, allow_path: str, patches_path: str) -> int:
    allowed, bad = read_allow(allow_path)
    applied = {" ".join(line.split()) for line in open(patches_path, encoding="utf-8")
               if line.strip()}
    found = {f"{c.api} {c.operation} {c.status} {f}" for c in driver.calls for f in c.findings}
    failed = bool(bad)
    print(f"{'api':<9} {'operations':>10} {'driven':>7} {'calls':>6} {'parsed':>7} "
          f"{'listed':>7} {'new':>4} {'patches':>8}")
    for name, state in driver.apis.items():
        calls = [c for c in driver.calls if c.api == name]
        keys = [f"{c.api} {c.operation} {c.status} {f}" for c in calls for f in c.findings]
        listed = sum(1 for k in keys if k in allowed)
        print(f"{name:<9} {len(state.exposed):>10} {len(state.driven & state.exposed):>7} "
              f"{len(calls):>6} {sum(1 for c in calls if not c.findings):>7} {listed:>7} "
              f"{len(keys) - listed:>4} {sum(1 for p in applied if p.startswith(name + ' ')):>8}")
        for module in sorted(state.exposed - state.driven):
            print(f"  NOT DRIVEN  {name} {module.rsplit('.', 1)[-1]}: add it to the flow")
            failed = True
    for key in sorted(found):
        if key in allowed:
            print(f"  listed     {key}")
        else:
            print(f"  NEW        {key}")
            failed = True
    for key in sorted(applied):
        print(f"  {'patched ' if key in allowed else 'UNLISTED PATCH'}  {key}")
        failed |= key not in allowed
    for key in sorted(k for k in allowed if k not in found and k not in applied):
        print(f"  STALE      {key}  (did not occur: remove it from {allow_path})")
        failed = True
    for message in bad:
        print(f"  {message}")
    if failed:
        print(f"Generated clients: failed. Triage each NEW finding: fix the mock, or list it with "
              f"its reason in {allow_path}.")
    return 1 if failed else 0


def main(argv) -> int:
    fault = None
    if len(argv) == 7 and argv[5] == "--inject-fault":
        fault, argv = json.loads(argv[6]), argv[:5]
    if len(argv) != 5:
        print(USAGE, file=sys.stderr)
        return 2
    clients_dir, mock_out, allow_path, patches_path = argv[1:]
    # The flows, one function per API, beside this file (a hyphenated name is no module name).
    spec = importlib.util.spec_from_file_location(
        "generated_clients_flows",
        os.path.join(os.path.dirname(__file__), "generated-clients-flows.py"))
    flows = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(flows)
    driver = Driver(clients_dir, mock_out)
    driver.admin("POST", "/reset")
    if fault:
        # The script's self-check: one answer broken on purpose must make the run fail.
        driver.admin("POST", "/faults", fault)
    flows.trusona(driver)
    flows.truework(driver)
    flows.verified(driver)
    return report(driver, allow_path, patches_path)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
