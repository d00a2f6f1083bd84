#!/usr/bin/env python3
"""Follows every link of a running Perigee and validates each response against LL2's OpenAPI document.

Starts from the list routes of the seed endpoints (both modes) and the API root (which lists every
endpoint), follows every `url`, `next` and
`previous` in every body, recursively, and checks that each answers 200 with JSON valid against the
spec's schema for its path, with two allowances, each counted and printed:

- the upstream deviations NOTES.md lists ("Where real LL2 output and LL2's own spec disagree"), and
  `/api-throttle/`, which real LL2 answers with one object although its document types it as an array of
  them (every public LL2 client reads it as an object; README, "Behaviour choices");
- a null where the spec wants a value, in an object that no imported file ever gave a value for that
  key (the server was loaded from SEEDS_DIR, which is read here to know). Perigee serves null rather
  than invent data; everything else it was given must come back valid.

It also fetches Perigee's own document (`/2.3.0/schema/`), checks it with openapi-spec-validator, and
validates every response against it with no allowance at all: Perigee's document must describe exactly
what it serves.

Every request accepts gzip (as browsers and most clients do), and a compressed body is inflated here,
so the compressed form of every response is checked too.

Exits 1 on any other miss.

Every object's `response_mode` must be its schema's own value (the spec gives each schema's as the
property's `default`; NOTES.md: a nested serializer keeps its own mode, e.g. `AgencyDetailed` says
`normal`).

With `--strict` (a store filled by `perigee sync` or `perigee generate`, where every object is complete)
the second allowance is off: a null where the spec wants a value fails, whatever was imported.

    scripts/crawl.py http://127.0.0.1:PORT path/to/ll2-2.3.0-openapi.yml SEEDS_DIR
    scripts/crawl.py --strict http://127.0.0.1:PORT path/to/ll2-2.3.0-openapi.yml
"""
import gzip
import json
import os
import re
import sys
import urllib.error
import urllib.request
from collections import deque

import yaml
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate as validate_document

# NOTES.md, "Where real LL2 output and LL2's own spec disagree": (schema, property) that may be null.
DOCKING_SIDES = [
    "flight_vehicle_target", "payload_flight_target", "space_station_target",
    "flight_vehicle_chaser", "payload_flight_chaser", "space_station_chaser",
]
NULLABLE_DEVIATIONS = (
    [(schema, side) for schema in ("DockingEventEndpointNormal", "DockingEventEndpointDetailed", "DockingEventForChaserNormal",
                                   "DockingEventDetailedSerializerForSpacestation") for side in DOCKING_SIDES]
    + [("DockingLocation", "spacecraft"), ("DockingLocation", "payload"),
       ("Landing", "landing_location"), ("LandingLocation", "location")]
    # The same serializer field in the landings endpoint's own forms (NOTES.md: "expect the same there").
    + [(schema, "landing_location") for schema in ("LandingEndpointList", "LandingEndpointNormal", "LandingEndpointDetailed")]
    + [(schema, "turn_around_time") for schema in (
        "SpacecraftFlightMini", "SpacecraftFlightNormal", "SpacecraftFlightDetailed", "SpacecraftFlightMiniSerializerNoLanding",
        "SpacecraftFlightNormalSerializerNoLanding", "SpacecraftFlightDetailedSerializerNoLanding",
        "SpacecraftFlightDetailedSerializerNoLaunch")]
)
# Beyond NOTES.md's list, three more of the same kind, which LL2's serializers produce by design and the
# spec's generator could not see (README, "Behaviour choices"):
# - a landing belongs to exactly one of a first stage, a payload flight and a spacecraft flight, so two of
#   those three keys are null, as a docking event's unused sides are (which NOTES.md lists);
# - a station's docking port with nothing docked has `currently_docked: null`, as NOTES.md's
#   `DockingLocation.spacecraft` is null for an empty port;
# - a first stage on its core's first flight has no `previous_flight` and no `turn_around_time`, as
#   NOTES.md's spacecraft flight has no `turn_around_time` on a craft's first flight.
NULLABLE_DEVIATIONS += (
    [(schema, key) for schema in ("FirstStageNormal", "FirstStageMini", "FirstStageNormalSerializerNoLanding",
                                  "FirstStageDetailedSerializerNoLanding") for key in ("previous_flight", "turn_around_time")]
    +
    [(schema, side) for schema in ("LandingEndpointList", "LandingEndpointNormal", "LandingEndpointDetailed")
     for side in ("firststage", "payloadflight", "spacecraftflight")]
    + [("DockingLocationSerializerForSpacestation", "currently_docked")]
)
# Paths whose real 200 body is one item of the array the spec declares.
SINGLE_OBJECT_PATHS = ["/2.3.0/api-throttle/"]
START = [f"/2.3.0/{path}/?mode={mode}" for path in ("spacecraft", "spacecraft_flights", "docking_events")
         for mode in ("normal", "detailed")] + ["/2.3.0/"]


def load_spec(path):
    spec = yaml.safe_load(open(path))
    schemas = spec["components"]["schemas"]
    for schema, prop in NULLABLE_DEVIATIONS:
        if schema in schemas and prop in schemas[schema].get("properties", {}):
            schemas[schema]["properties"][prop]["nullable"] = True
            if "$ref" in schemas[schema]["properties"][prop]:  # a sibling of `$ref` is ignored: wrap it
                schemas[schema]["properties"][prop] = {"allOf": [schemas[schema]["properties"][prop]], "nullable": True}
    for path in SINGLE_OBJECT_PATHS:
        content = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        content["schema"] = content["schema"]["items"]
    for schema in schemas.values():
        mode = schema.get("properties", {}).get("response_mode")
        if mode and "default" in mode:
            mode["enum"] = [mode["default"]]
        for name, prop in schema.get("properties", {}).items():
            # `nullable` beside `allOf: [$ref]` does not reach the referenced schema in the validator:
            # spell "the reference, or null" out.
            if prop.get("nullable") and "allOf" in prop:
                schema["properties"][name] = {"anyOf": prop["allOf"] + [{"enum": [None]}]}
    return spec


def route_table(spec):
    """(compiled path regex, response schema) for every GET path of the spec."""
    table = []
    for template, item in spec["paths"].items():
        get = item.get("get")
        if not get:
            continue
        content = get.get("responses", {}).get("200", {}).get("content", {}).get("application/json")
        if not content:
            continue
        pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
        table.append((re.compile(pattern), content["schema"]))
    # Literal paths before templated ones (`/launches/upcoming/` before `/launches/{id}/`).
    table.sort(key=lambda row: row[0].pattern.count("[^/]+"))
    return table


def spec_modes(spec, path):
    """The `mode` values the spec lists for a list path (`/2.3.0/launchers/`), or none."""
    item = spec["paths"].get(path, {}).get("get", {})
    for parameter in item.get("parameters", []):
        if parameter.get("name") == "mode":
            return sorted(parameter.get("schema", {}).get("enum", []))
    return []


def resolve(spec, schema):
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].split("/")[-1]]
    return schema


def object_path(url):
    """`/2.3.0/agencies/88/` from any absolute or relative URL of an object."""
    path = url.split("?")[0]
    return path[path.index("/2.3.0/"):] if "/2.3.0/" in path else path


def imported_values(seeds_dir):
    """Object identity → the keys some imported copy of it gave a non-null value. An object is known by
    its URL, or, without one (families, lookups), by the key it is nested under and its id."""
    known = {}

    def walk(value, under):
        if isinstance(value, dict):
            identity = identity_of(value, under)
            if identity:
                known.setdefault(identity, set()).update(k for k, v in value.items() if v is not None)
            for key, item in value.items():
                walk(item, key)
        elif isinstance(value, list):
            for item in value:
                walk(item, under)

    for name in sorted(os.listdir(seeds_dir)):
        text = open(os.path.join(seeds_dir, name), encoding="utf-8").read()
        start = text.index("{") if text.startswith("{") else text.index("\n{") + 1
        walk(json.loads(text[start:]), None)
    return known


def identity_of(value, under):
    if isinstance(value.get("url"), str):
        return object_path(value["url"])
    if "id" in value and under:
        return f"{under}#{value['id']}"
    return None


def validate(spec, schema, value):
    """Errors (path, message, instance) of `value` against `schema`, choosing polymorphic schemas by their discriminator."""
    target = resolve(spec, schema)
    if "oneOf" in target and "discriminator" in target:
        mode = value.get("response_mode") if isinstance(value, dict) else None
        mapping = target["discriminator"]["mapping"]
        if mode not in mapping:
            return [([], f"response_mode {mode!r} is none of {sorted(mapping)}", mode)]
        return validate(spec, {"$ref": mapping[mode]}, value)
    props = target.get("properties", {})
    if "results" in props and isinstance(value, dict) and "results" in value:
        envelope = {k: v for k, v in value.items() if k != "results"}
        errors = [(list(e.absolute_path), e.message[:200], e.instance) for e in flatten(OAS30Validator(
            {**{k: v for k, v in target.items() if k not in ("properties", "required")},
             "required": [k for k in target.get("required", []) if k != "results"],
             "properties": {k: v for k, v in props.items() if k != "results"}, "components": spec["components"]}
        ).iter_errors(envelope))]
        for index, item in enumerate(value["results"]):
            errors += [(["results", index] + path, message, instance)
                       for path, message, instance in validate(spec, props["results"]["items"], item)]
        return errors
    validator = OAS30Validator({**schema, "components": spec["components"]})
    return [(list(e.absolute_path), e.message[:200], e.instance) for e in flatten(validator.iter_errors(value))]


def flatten(errors):
    """Errors, with "the reference, or null" mismatches replaced by what failed inside the reference."""
    for error in errors:
        inner = [sub for sub in error.context if sub.relative_schema_path and sub.relative_schema_path[0] == 0]
        if error.validator == "anyOf" and error.instance is not None and inner:
            yield from flatten(inner)
        else:
            yield error


def lacking_data(data, path, instance, known):
    """Whether an error is a null in an object no imported copy gave a value for that key."""
    if instance is not None or not path:
        return False
    parent, under = data, None
    for step in path[:-1]:
        parent = parent[step]
        if isinstance(step, str):
            under = step
    identity = identity_of(parent, under) if isinstance(parent, dict) else None
    return identity is not None and path[-1] not in known.get(identity, set())


def links(value, origin):
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("url", "next", "previous") and isinstance(item, str) and item.startswith(origin):
                yield item[len(origin):]
            else:
                yield from links(item, origin)
    elif isinstance(value, list):
        for item in value:
            yield from links(item, origin)


def fetch(url):
    """(status, body) of a GET that accepts gzip; the body inflated when the server compressed it."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, body, encoding = response.status, response.read(), response.headers.get("Content-Encoding")
    except urllib.error.HTTPError as error:
        status, body, encoding = error.code, error.read(), error.headers.get("Content-Encoding")
    if encoding == "gzip":
        fetch.compressed += 1
        body = gzip.decompress(body)
    return status, body


fetch.compressed = 0


def main():
    arguments = sys.argv[1:]
    strict = "--strict" in arguments
    arguments = [argument for argument in arguments if argument != "--strict"]
    origin, spec_path = arguments[0].rstrip("/"), arguments[1]
    spec = load_spec(spec_path)
    known = {} if strict else imported_values(arguments[2])
    gaps = {}
    with urllib.request.urlopen(origin + "/2.3.0/schema/", timeout=30) as response:
        own = json.loads(response.read())
    validate_document(own)
    with urllib.request.urlopen(origin + "/2.3.0/schema/?format=yaml", timeout=30) as response:
        if yaml.safe_load(response.read()) != own:
            sys.exit("FAIL the YAML document differs from the JSON one")
    own_routes = route_table(own)
    own_failures = []
    routes = route_table(spec)
    seen, queue, failures, by_route = set(START), deque(START), [], {}
    while queue:
        target = queue.popleft()
        path = target.split("?")[0]
        status, body = fetch(origin + target)
        schema = next((schema for pattern, schema in routes if pattern.match(path)), None)
        route = re.sub(r"/[0-9a-f-]{1,36}/$", "/{id}/", path)
        by_route[route] = by_route.get(route, 0) + 1
        if status != 200:
            failures.append(f"{target}: HTTP {status}")
            continue
        data = json.loads(body)
        if schema is None and path == "/2.3.0/":
            pass  # LL2's document does not describe its API root; Perigee's own does, below
        elif schema is None:
            failures.append(f"{target}: no schema in the spec for this path")
        else:
            for where, message, instance in validate(spec, schema, data):
                if not strict and lacking_data(data, where, instance, known):
                    field = re.sub(r"\.\d+", "[]", ".".join(map(str, where)))
                    gaps[field] = gaps.get(field, 0) + 1
                else:
                    failures.append(f"{target}: {'.'.join(map(str, where))}: {message}")
        own_schema = next((schema for pattern, schema in own_routes if pattern.match(path)), None)
        if own_schema is None:
            own_failures.append(f"{target}: not in Perigee's own document")
        else:
            own_failures += [f"{target}: {'.'.join(map(str, p))}: {m}" for p, m, _ in validate(own, own_schema, data)]
        # The API root's values are the endpoints' list URLs; each is also fetched in every mode the spec
        # lists for it, so every form of every endpoint is validated.
        found = list(links(data, origin))
        # With --strict, the detail route under each list path (`/config/orbits/{id}/`, `/launches/upcoming/{id}/`),
        # by the first result's id: objects without a `url` and the windowed views are reached this way. (On
        # the captures, an object without a `url` is known only by the key it was nested under, so a null in
        # its own detail route could not be told from missing data.)
        results = data.get("results") if isinstance(data, dict) else None
        if strict and isinstance(results, list) and results and isinstance(results[0], dict) and "id" in results[0]:
            found.append(f"{path}{results[0]['id']}/")
        if path == "/2.3.0/":
            for value in data.values():
                found.append(value[len(origin):])
                found += [f"{value[len(origin):]}?mode={mode}" for mode in spec_modes(spec, value[len(origin):])]
        for link in found:
            if link not in seen:
                seen.add(link)
                queue.append(link)
    print(f"crawled {len(seen)} URLs over {len(by_route)} routes ({fetch.compressed} bodies came gzipped)")
    templates = [template for template, item in spec["paths"].items() if "get" in item]
    covered = [t for t in templates if any(re.match("^" + re.sub(r"\{[^}]+\}", "[^/]+", t) + "$", r.replace("{id}", "0"))
                                           for r in by_route)]
    print(f"covered {len(covered)} of the spec's {len(templates)} GET paths; not reached:"
          f" {', '.join(sorted(set(templates) - set(covered)))}")
    for route, count in sorted(by_route.items()):
        print(f"  {count:5d}  {route}")
    print(f"accepted: {', '.join(SINGLE_OBJECT_PATHS)} as one object where the spec says an array of them")
    if not strict:
        print(f"accepted: {sum(gaps.values())} nulls where no imported copy had a value, in {len(gaps)} fields:")
    for field, count in sorted(gaps.items(), key=lambda item: -item[1])[:25]:
        print(f"  {count:5d}  {field}")
    print(f"Perigee's own document: valid OpenAPI; {len(seen) - len(own_failures)} of {len(seen)} responses valid against it")
    failures += [f"own document: {failure}" for failure in own_failures]
    for failure in failures[:int(__import__("os").environ.get("CRAWL_SHOW", "60"))]:
        print("FAIL", failure)
    print(f"{len(seen) - len({f.split(':')[0] for f in failures})} passed, {len({f.split(':')[0] for f in failures})} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
