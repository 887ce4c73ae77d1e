#!/usr/bin/env python3
"""Generates Swift API types from api/<group>/<version>.yaml (docs/design/0001-api-type-definitions.md).

    python3 scripts/generate-api.py          # write Sources/KubeAPI/Generated/*.swift and the test fixtures
    python3 scripts/generate-api.py --check  # exit 1 and name each file that is not current

One Swift file per YAML file: the group's labels ("Core" for "") then the file stem (<version> or
<version>-<part>), each word capitalized: apps v1.yaml -> AppsV1.swift, events.k8s.io v1.yaml ->
EventsK8sIoV1.swift, core v1-cluster.yaml -> CoreV1Cluster.swift; plus APIRegistry.swift. Test types from
scripts/generate-api-fixture.yaml go to Tests/KubeAPITests/Generated/FixtureTypes.swift (internal, no registry).
Swift properties are the JSON names, backquoted when keywords; other non-identifiers lose a leading "$" and are
camel-cased at "-" and "." ($ref -> ref, x-kubernetes-a-b -> xKubernetesAB). Needs python3 and PyYAML only.
"""
import argparse
import os
import re
import sys
from dataclasses import dataclass, field as dc_field
from pathlib import Path

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COMMAND = "python3 scripts/generate-api.py"

TOP_KEYS = {"group", "version", "types"}
TYPE_KEYS = {"name", "swiftName", "doc", "resource", "fields", "structType"}
RESOURCE_KEYS = {"plural", "singular", "namespaced", "shortNames", "categories", "subresources", "verbs"}
FIELD_VALUE_TYPES = {"pointer": bool, "always": bool, "required": bool, "doc": str, "patchMergeKey": str,
                     "format": str, "listMapKeys": list, "enum": list}
FIELD_KEYS = {"name", "type", "proto", "patchStrategy", "listType"} | set(FIELD_VALUE_TYPES)
PATCH_STRATEGIES = {"merge", "retainKeys", "merge,retainKeys", "replace"}
LIST_TYPES = {"atomic", "set", "map"}
STANDARD_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]

# YAML type -> (FieldType case, Swift type, zero value or None when the zero is nil, coding kind).
# Kinds: "omit" (omitempty drops zero), "bytes", "struct" (never omitted), "time" (optional; null when nil).
PRIMITIVES = {
    "string": (".string", "String", '""', "omit"),
    "int32": (".int32", "Int32", "0", "omit"),
    "int64": (".int64", "Int64", "0", "omit"),
    "bool": (".bool", "Bool", "false", "omit"),
    "double": (".double", "Double", "0", "omit"),
    "bytes": (".bytes", "[UInt8]", "[]", "bytes"),
    "Quantity": (".quantity", "Quantity", "Quantity(0)", "struct"),
    "IntOrString": (".intOrString", "IntOrString", "IntOrString.int(0)", "struct"),
    "Time": (".time", "RFC3339Time", None, "time"),
    "MicroTime": (".microTime", "MicroTime", None, "time"),
    "JSON": (".json", "JSONValue", "JSONValue.null", "struct"),
}
# KubeCore struct types usable as field types -> their zero value.
CORE_TYPES = {"ObjectMeta": "ObjectMeta()", "ListMeta": "ListMeta()", "LabelSelector": "LabelSelector()",
              "ManagedFieldsEntry": "ManagedFieldsEntry()",
              "LabelSelectorRequirement": 'LabelSelectorRequirement(key: "", operator: "")',
              "OwnerReference": 'OwnerReference(apiVersion: "", kind: "", name: "", uid: "")'}
RUNTIME_NAMES = {"APIType", "KubeResource", "ResourceInfo", "SubresourceInfo", "TypeSchema", "FieldSchema",
                 "FieldType", "APIRegistry", "KubeCoreSchemas", "Base64Bytes", "GoOmittable", "NoCodingKeys"}
# Subresource -> (group, version, kind, verbs) as upstream discovery lists them; None means the parent's.
GPU, CONNECT = ["get", "patch", "update"], ["create", "get"]
SUBRESOURCES = {
    "status": (None, None, None, GPU), "ephemeralcontainers": (None, None, None, GPU),
    "resize": (None, None, None, GPU), "approval": (None, None, None, GPU),
    "finalize": (None, None, None, ["update"]), "log": (None, None, None, ["get"]),
    "scale": ("autoscaling", "v1", "Scale", GPU),
    "exec": (None, None, "PodExecOptions", CONNECT), "attach": (None, None, "PodAttachOptions", CONNECT),
    "portforward": (None, None, "PodPortForwardOptions", CONNECT),
    "proxy": (None, None, "{kind}ProxyOptions", ["create", "delete", "get", "patch", "update"]),
    "eviction": ("policy", "v1", "Eviction", ["create"]), "binding": (None, None, "Binding", ["create"]),
    "token": ("authentication.k8s.io", "v1", "TokenRequest", ["create"]),
}
OPENAPI_PACKAGES = {
    "": "io.k8s.api.core",
    "apiextensions.k8s.io": "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions",
    "apiregistration.k8s.io": "io.k8s.kube-aggregator.pkg.apis.apiregistration",
    "internal.apiserver.k8s.io": "io.k8s.api.apiserverinternal",
    "meta.k8s.io": "io.k8s.apimachinery.pkg.apis.meta",
}
SWIFT_KEYWORDS = set("""associatedtype borrowing class consuming deinit enum extension fileprivate func import init
inout internal let nonisolated open operator private precedencegroup protocol public rethrows static struct subscript
typealias var break case catch continue default defer do else fallthrough for guard if in repeat return throw switch
where while Any as await false is nil self Self super throws true try Type Protocol""".split())
IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

class SpecErrors(Exception):
    """Carries every problem found in the YAML files; nothing is written then."""

@dataclass
class FieldDef:
    name: str
    prop: str
    raw: dict
    type: tuple = None

@dataclass
class TypeDef:
    name: str
    swift: str
    raw: dict
    spec: "Spec"
    fields: list = dc_field(default_factory=list)

@dataclass
class Spec:
    path: str
    group: str
    version: str
    types: list = dc_field(default_factory=list)
    output: str = ""

# ---------------------------------------------------------------------------------------------- loading

def check_keys(errors, where, mapping, allowed):
    errors.extend(f"{where}: unknown key '{key}' (allowed: {', '.join(sorted(allowed))})"
                  for key in sorted(set(mapping) - allowed, key=str))

def expect(errors, where, value, kind, what):
    """Reports `value` unless it is absent or a `kind` (`list`: a list of strings)."""
    strings_ok = kind is list and isinstance(value, list) and all(isinstance(v, str) for v in value)
    if value is not None and not (strings_ok if kind is list else isinstance(value, kind)):
        wanted = "list of strings" if kind is list else kind.__name__
        errors.append(f"{where}: '{what}' must be a {wanted}, got {value!r} (quote values like yes/no/on)")

def swift_property(json_name):
    if IDENT.match(json_name):
        return json_name
    parts = [p for p in re.split(r"[-.]", json_name.lstrip("$")) if p]
    return (parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:])) if parts else ""

def load_spec(path, errors):
    rel = os.path.relpath(path, ROOT)
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        errors.append(f"{rel}: invalid YAML: {error}")
        return None
    if not isinstance(data, dict):
        errors.append(f"{rel}: expected a mapping with group, version and types")
        return None
    check_keys(errors, rel, data, TOP_KEYS)
    group, version = data.get("group"), data.get("version")
    if not isinstance(group, str) or not isinstance(version, str) or not re.match(r"^v\d+((alpha|beta)\d+)?$", version):
        errors.append(f"{rel}: 'group' must be a string (\"\" for core) and 'version' like v1 or v1beta1")
        return None
    stem = os.path.splitext(os.path.basename(path))[0]
    if rel.startswith("api" + os.sep) and stem != version and not stem.startswith(version + "-"):
        errors.append(f"{rel}: the file name must be <version>.yaml or <version>-<part>.yaml (version is {version})")
        return None
    spec = Spec(rel, group, version, output=swift_file_name(group, stem))
    types = data.get("types") or []
    if not isinstance(types, list):
        errors.append(f"{rel}: 'types' must be a list")
        return spec
    for index, raw in enumerate(types):
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not IDENT.match(raw["name"]):
            errors.append(f"{rel}: types[{index}]: needs a 'name' that is a Swift identifier")
            continue
        spec.types.append(load_type(spec, raw, errors))
    return spec

def load_type(spec, raw, errors):
    where = f"{spec.path}: type {raw['name']}"
    check_keys(errors, where, raw, TYPE_KEYS)
    swift = raw.get("swiftName", raw["name"])
    if not isinstance(swift, str) or not IDENT.match(swift):
        errors.append(f"{where}: 'swiftName' must be a Swift identifier")
        swift = raw["name"]
    expect(errors, where, raw.get("doc"), str, "doc")
    if raw.get("structType") not in (None, "atomic", "granular"):
        errors.append(f"{where}: 'structType' must be atomic or granular")
    typedef = TypeDef(raw["name"], swift, raw, spec)
    fields = raw.get("fields") or []
    if not isinstance(fields, list):
        errors.append(f"{where}: 'fields' must be a list")
        fields = []
    seen = {}  # (what, value) -> the field that uses it
    for index, fraw in enumerate(fields):
        if not isinstance(fraw, dict) or not isinstance(fraw.get("name"), str) or not isinstance(fraw.get("type"), str):
            errors.append(f"{where}: fields[{index}]: needs string 'name' and 'type'")
            continue
        name = fraw["name"]
        fwhere = f"{where}: field {name}"
        check_keys(errors, fwhere, fraw, FIELD_KEYS)
        prop = swift_property(name)
        if not IDENT.match(prop):
            errors.append(f"{fwhere}: cannot derive a Swift property name from the JSON name")
        proto = fraw.get("proto")
        if proto is not None and (isinstance(proto, bool) or not isinstance(proto, int) or proto <= 0):
            errors.append(f"{fwhere}: 'proto' must be a positive integer")
            proto = None
        for key in (("field name", name), ("Swift property", prop), ("proto number", proto)):
            if key[1] is not None and key in seen:
                errors.append(f"{where}: duplicate {key[0]} {key[1]!r} (fields '{seen[key]}' and '{name}')")
                break
            seen.setdefault(key, name)
        for key, kind in FIELD_VALUE_TYPES.items():
            expect(errors, fwhere, fraw.get(key), kind, key)
        for key, allowed in (("patchStrategy", PATCH_STRATEGIES), ("listType", LIST_TYPES)):
            if fraw.get(key) not in (None, *allowed):
                errors.append(f"{fwhere}: '{key}' must be one of {', '.join(sorted(allowed))}")
        typedef.fields.append(FieldDef(name, prop, fraw))
    if "resource" in raw:
        check_resource(where, raw["resource"], errors)
    return typedef

def check_resource(where, res, errors):
    where = f"{where}: resource"
    if not isinstance(res, dict):
        errors.append(f"{where}: must be a mapping")
        return
    check_keys(errors, where, res, RESOURCE_KEYS)
    for key in ("plural", "singular"):
        value = res.get(key)
        if not isinstance(value, str) or not re.match(r"^[a-z][a-z0-9]*$", value):
            errors.append(f"{where}: '{key}' is required (a lowercase name such as 'deployments')")
    if not isinstance(res.get("namespaced"), bool):
        errors.append(f"{where}: 'namespaced' is required (true or false)")
    for key in ("shortNames", "categories", "subresources", "verbs"):
        expect(errors, where, res.get(key), list, key)
    for key, known in (("subresources", SUBRESOURCES), ("verbs", STANDARD_VERBS)):
        for value in res.get(key) or []:
            if value not in known:
                errors.append(f"{where}: unknown {key[:-1]} '{value}' (known: {', '.join(sorted(known))})")

# ------------------------------------------------------------------------------------------- resolving

def kubecore_public_names():
    names = set()
    folder = os.path.join(ROOT, "Sources", "KubeCore")
    for entry in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
        text = Path(folder, entry).read_text(encoding="utf-8")
        names.update(re.findall(r"^public (?:struct|enum|protocol|final class|class|actor) (\w+)", text, re.M))
    return names

def parse_type(text, resolve):
    """'[]T' -> ('array', T), 'map[string]T' -> ('map', T), primitives, KubeCore types, or ('obj', TypeDef)."""
    if text.startswith("[]"):
        return ("array", parse_type(text[2:], resolve))
    if text.startswith("map["):
        if not text.startswith("map[string]"):
            raise ValueError(f"map keys must be string in '{text}'")
        return ("map", parse_type(text[len("map[string]"):], resolve))
    if text in PRIMITIVES:
        return ("prim", text)
    if text in CORE_TYPES:
        return ("core", text)
    return ("obj", resolve(text))

def resolve_all(specs, errors):
    by_swift, by_name = {}, {}
    reserved = kubecore_public_names() | RUNTIME_NAMES | set(PRIMITIVES) | set(CORE_TYPES)
    for spec in specs:
        local = {}
        for t in spec.types:
            if t.name in local:
                errors.append(f"{spec.path}: duplicate type name '{t.name}'")
                continue
            local[t.name] = t
            if t.swift in by_swift:
                errors.append(f"{spec.path}: type {t.name}: Swift name '{t.swift}' is also used in "
                              f"{by_swift[t.swift].spec.path}; set 'swiftName' on one of them (e.g. EventsV1Event)")
            elif t.swift in reserved:
                errors.append(f"{spec.path}: type {t.name}: Swift name '{t.swift}' collides with a KubeCore/KubeAPI "
                              "type or built-in type name; set 'swiftName'")
            by_swift.setdefault(t.swift, t)
            by_name.setdefault(t.name, []).append(t)
    for spec in specs:
        local = {t.name: t for t in spec.types}
        def resolve(name):
            """Same file by name, else any file by Swift name, else the one type of that name."""
            found, candidates = local.get(name) or by_swift.get(name), by_name.get(name, [])
            if found or len(candidates) == 1:
                return found or candidates[0]
            raise ValueError(f"type '{name}' is ambiguous ({', '.join(c.spec.path for c in candidates)}); use the "
                             "Swift name" if candidates else f"unknown type '{name}'")

        for t in spec.types:
            for f in t.fields:
                try:
                    f.type = parse_type(f.raw["type"], resolve)
                except ValueError as error:
                    errors.append(f"{spec.path}: type {t.name}: field {f.name}: {error}")

def check_semantics(types, errors):
    for t in types:
        where = f"{t.spec.path}: type {t.name}"
        first = t.fields[0].raw if t.fields else {}
        is_metadata = first.get("name") == "metadata" and first.get("type") == "ObjectMeta"
        if "resource" in t.raw and (not is_metadata or first.get("pointer")):
            errors.append(f"{where}: a resource's first field must be 'metadata' of type ObjectMeta, not a pointer")
        for f in (f for f in t.fields if f.type):
            fwhere, raw, kind = f"{where}: field {f.name}", f.raw, f.type[0]
            if (raw.get("listType") or raw.get("patchMergeKey") or raw.get("listMapKeys")) and kind != "array":
                errors.append(f"{fwhere}: listType, patchMergeKey and listMapKeys apply to lists only")
            if bool(raw.get("listMapKeys")) != (raw.get("listType") == "map"):
                errors.append(f"{fwhere}: listType: map and listMapKeys go together")
            if raw.get("listType") == "map" and kind == "array" and f.type[1][0] not in ("obj", "core"):
                errors.append(f"{fwhere}: listType: map needs a list of objects")
            keys = (raw.get("listMapKeys") or []) + ([raw["patchMergeKey"]] if raw.get("patchMergeKey") else [])
            for key in keys if kind == "array" and f.type[1][0] == "obj" else []:
                if key not in {g.name for g in f.type[1][1].fields}:
                    errors.append(f"{fwhere}: key '{key}' is not a field of {f.type[1][1].name}")
            variant = bytes_variant(f.type)
            if contains_bytes(f.type) and (variant is None or (raw.get("pointer") and variant != "")):
                errors.append(f"{fwhere}: bytes works only as bytes, []bytes or map[string]bytes (not a pointer)")
    for t in types:
        cycle = find_cycle(t, [t])
        if cycle:
            errors.append(f"{t.spec.path}: type {t.name}: contains itself through {' -> '.join(cycle)}; a Swift struct "
                          "cannot hold itself directly or through pointers (only through lists or maps)")

def contains_bytes(ftype):
    return ftype == ("prim", "bytes") or (ftype[0] in ("array", "map") and contains_bytes(ftype[1]))

def find_cycle(start, path):
    for f in path[-1].fields:
        if f.type and f.type[0] == "obj":
            target = f.type[1]
            if target is start:
                return [p.name for p in path] + [start.name]
            found = target not in path and find_cycle(start, path + [target])
            if found:
                return found
    return None

# ------------------------------------------------------------------------------------------ Swift text

def swift_file_name(group, stem):
    """Core or the group's labels, then the file stem (v1, v1-cluster), each word capitalized."""
    words = ["Core"] if group == "" else re.split(r"[.\-]", group)
    return "".join(w[:1].upper() + w[1:] for w in words + re.split(r"[.\-]", stem) if w) + ".swift"

def openapi_name(group, version, name):
    package = OPENAPI_PACKAGES.get(group, "io.k8s.api." + group.split(".")[0])
    return f"{package}.{version}.{name}"

ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t"}

def literal(text):
    """A Swift string literal."""
    control = lambda ch: "\\u{%x}" % ord(ch) if ord(ch) < 0x20 or ord(ch) == 0x7F else ch
    return '"' + "".join(ESCAPES.get(ch) or control(ch) for ch in text) + '"'

def strings(values):
    return "[" + ", ".join(literal(v) for v in values) + "]"

def escape(prop):
    return f"`{prop}`" if prop in SWIFT_KEYWORDS else prop

def doc_lines(text, indent):
    return [f"{indent}/// {line}".rstrip() for line in (text or "").strip().splitlines()]

def swift_type(ftype):
    kind, arg = ftype
    if kind in ("array", "map"):
        return f"[{swift_type(arg)}]" if kind == "array" else f"[String: {swift_type(arg)}]"
    return PRIMITIVES[arg][1] if kind == "prim" else arg if kind == "core" else arg.swift

def zero_value(ftype):
    """The Go zero value as a Swift expression, or None when it is nil (time)."""
    kind, arg = ftype
    zeros = {"array": "[]", "map": "[:]", "obj": lambda: f"{arg.swift}()",
             "prim": lambda: PRIMITIVES[arg][2], "core": lambda: CORE_TYPES[arg]}[kind]
    return zeros() if callable(zeros) else zeros

def field_type_case(ftype):
    kind, arg = ftype
    if kind in ("array", "map"):
        return f".{kind}({field_type_case(arg)})"
    return PRIMITIVES[arg][0] if kind == "prim" else f".object({literal(arg if kind == 'core' else arg.swift)})"

def coding_kind(ftype):
    return PRIMITIVES[ftype[1]][3] if ftype[0] == "prim" else ("omit" if ftype[0] in ("array", "map") else "struct")

def is_optional(f):
    return bool(f.raw.get("pointer")) or coding_kind(f.type) == "time"

def property_type(f):
    return swift_type(f.type) + ("?" if is_optional(f) else "")

def bytes_variant(ftype):
    """"" for bytes, "List" for []bytes, "Map" for map[string]bytes, None otherwise."""
    if ftype == ("prim", "bytes"):
        return ""
    if ftype[0] in ("array", "map") and ftype[1] == ("prim", "bytes"):
        return "List" if ftype[0] == "array" else "Map"
    return None

def decode_expr(f):
    t, key, kind, variant = f.type, "." + escape(f.prop), f.type[0], bytes_variant(f.type)
    if f.raw.get("pointer") or coding_kind(t) == "time":
        if variant == "":
            return f"container.decodeBytesIfPresent(forKey: {key})"
        return f"container.decodeIfPresent({swift_type(t)}.self, forKey: {key})"
    if variant is not None:
        return f"container.decodeBytes{variant}(forKey: {key})"
    if kind in ("array", "map") and zero_value(t[1]) is not None:
        method = "decodeList" if kind == "array" else "decodeMap"
        return f"container.{method}({swift_type(t[1])}.self, forKey: {key}, zeroElement: {zero_value(t[1])})"
    return f"container.decode({swift_type(t)}.self, forKey: {key}, orZero: {zero_value(t)})"

def encode_stmt(f):
    t, prop, key = f.type, escape(f.prop), "." + escape(f.prop)
    always, variant = bool(f.raw.get("always")), bytes_variant(f.type)
    if f.raw.get("pointer"):
        if variant == "":
            return f"try container.encodeBytesIfPresent({prop}, forKey: {key}, nullWhenNil: {str(always).lower()})"
        return f"try container.{'encodeOrNull' if always else 'encodeIfPresent'}({prop}, forKey: {key})"
    if coding_kind(t) == "time":
        return f"try container.encodeOrNull({prop}, forKey: {key})"
    if variant is not None:
        return f"try container.encodeBytes{variant}({prop}, forKey: {key}, omitEmpty: {str(not always).lower()})"
    method = "encodeOmitEmpty" if coding_kind(t) == "omit" and not always else "encode"
    return f"try container.{method}({prop}, forKey: {key})"

def tree_decode_expr(f, member="jsonValue"):
    """The JSONTreeCodable counterpart of decode_expr (same Go member rules) for the member's value."""
    t, kind, variant = f.type, f.type[0], bytes_variant(f.type)
    if f.raw.get("pointer") or coding_kind(t) == "time":
        return f"JSONTree.optionalBytes({member})" if variant == "" else f"JSONTree.optional({member})"
    if variant is not None:
        return f"JSONTree.bytes{variant}({member})"
    if kind in ("array", "map") and zero_value(t[1]) is not None:
        method = "list" if kind == "array" else "map"
        return f"JSONTree.{method}({member}, zeroElement: {zero_value(t[1])})"
    return f"JSONTree.value({member}, orZero: {zero_value(t)})"

# Types whose jsonTree() can decline (so calls need `try`): doubles, times, generated structs, collections.
THROWING_TREE_PRIMS = {"double", "Time", "MicroTime"}
THROWING_TREE_CORE = {"ObjectMeta", "ManagedFieldsEntry"}

def tree_encode_throws(ftype):
    kind, arg = ftype
    if kind == "prim":
        return arg in THROWING_TREE_PRIMS
    if kind == "core":
        return arg in THROWING_TREE_CORE
    return True

def tree_encode_stmt(f):
    """The JSONTreeCodable counterpart of encode_stmt."""
    t, prop, key = f.type, "self." + escape(f.prop), literal(f.name)
    always, variant = bool(f.raw.get("always")), bytes_variant(f.type)
    tr = "try " if tree_encode_throws(t) else ""
    if f.raw.get("pointer"):
        if variant == "":
            return (f"if let value = {prop} {{ jsonMembers[{key}] = JSONTree.base64(value) }}"
                    + (f" else {{ jsonMembers[{key}] = .null }}" if always else ""))
        if always:
            return f"jsonMembers[{key}] = {tr}{prop}?.jsonTree() ?? .null"
        return f"if let value = {prop} {{ jsonMembers[{key}] = {tr}value.jsonTree() }}"
    if coding_kind(t) == "time":
        return f"jsonMembers[{key}] = {tr}{prop}?.jsonTree() ?? .null"
    if variant is not None:
        value = f"JSONTree.base64{variant}({prop})"
        return f"jsonMembers[{key}] = {value}" if always else f"if !{prop}.isEmpty {{ jsonMembers[{key}] = {value} }}"
    if coding_kind(t) == "omit" and not always:
        return f"if !{prop}.isGoEmpty {{ jsonMembers[{key}] = {tr}{prop}.jsonTree() }}"
    return f"jsonMembers[{key}] = {tr}{prop}.jsonTree()"

def render_tree_coding(t, pub):
    out = ["", f"    {pub}init(jsonTree: JSONValue) throws(JSONTreeMismatch) {{"]
    if t.fields:
        # Start from the zero value and visit only the members present (most fields are absent, so this
        # beats one hashed lookup per field).
        out.append("        self.init()")
        out.append("        for (jsonKey, jsonValue) in try JSONTree.members(jsonTree) {")
        if len(t.fields) <= 4:
            out.append("            switch jsonKey {")
            for f in t.fields:
                out.append(f"            case {literal(f.name)}: self.{escape(f.prop)} = try {tree_decode_expr(f)}")
            out += ["            default: break", "            }", "        }"]
        else:
            # A String switch compares the key with every case in turn; the UTF-8 length picks the few
            # candidates first.
            by_length = {}
            for f in t.fields:
                by_length.setdefault(len(f.name.encode("utf-8")), []).append(f)
            out.append("            switch jsonKey.utf8.count {")
            for length in sorted(by_length):
                out.append(f"            case {length}:")
                out.append("                switch jsonKey {")
                for f in by_length[length]:
                    out.append(f"                case {literal(f.name)}: self.{escape(f.prop)} = try {tree_decode_expr(f)}")
                out += ["                default: break", "                }"]
            out += ["            default: break", "            }", "        }"]
    else:
        out.append("        _ = try JSONTree.members(jsonTree)")
    out += ["    }", "", f"    {pub}func jsonTree() throws(JSONTreeMismatch) -> JSONValue {{"]
    if t.fields:
        out.append("        var jsonMembers: [String: JSONValue] = [:]")
        out.append(f"        jsonMembers.reserveCapacity({min(len(t.fields), 16)})")
        out += [f"        {tree_encode_stmt(f)}" for f in t.fields]
        out.append("        return .object(jsonMembers)")
    else:
        out.append("        .object([:])")
    return out + ["    }"]

def render_struct(t, pub):
    out = doc_lines(t.raw.get("doc"), "") + [f"{pub}struct {t.swift}: Codable, JSONTreeCodable, Sendable, Equatable {{"]
    for f in t.fields:
        out += doc_lines(f.raw.get("doc", ""), "    ") + [f"    {pub}var {escape(f.prop)}: {property_type(f)}"]
    if t.fields:
        out += ["", f"    {pub}init("]
        params = [f"        {escape(f.prop)}: {property_type(f)} = {'nil' if is_optional(f) else zero_value(f.type)}"
                  for f in t.fields]
        out += [",\n".join(params), "    ) {"]
        out += [f"        self.{escape(f.prop)} = {escape(f.prop)}" for f in t.fields] + ["    }", ""]
        out.append("    private enum CodingKeys: String, CodingKey {")
        out += [f"        case {escape(f.prop)}" + (f" = {literal(f.name)}" * (f.prop != f.name)) for f in t.fields]
        out += ["    }", "", f"    {pub}init(from decoder: any Decoder) throws {{",
                "        let container = try decoder.container(keyedBy: CodingKeys.self)"]
        out += [f"        self.{escape(f.prop)} = try {decode_expr(f)}" for f in t.fields]
        out += ["    }", "", f"    {pub}func encode(to encoder: any Encoder) throws {{",
                "        var container = encoder.container(keyedBy: CodingKeys.self)"]
        out += [f"        {encode_stmt(f)}" for f in t.fields] + ["    }"]
    else:  # still a JSON object
        out += [f"    {pub}init() {{}}", "", f"    {pub}init(from decoder: any Decoder) throws {{",
                "        _ = try decoder.container(keyedBy: NoCodingKeys.self)", "    }", "",
                f"    {pub}func encode(to encoder: any Encoder) throws {{",
                "        _ = encoder.container(keyedBy: NoCodingKeys.self)", "    }"]
    return out + render_tree_coding(t, pub) + ["}"]

def render_schema(t, pub):
    spec = t.spec
    args = [f"name: {literal(t.swift)}"] + ([f"goName: {literal(t.name)}"] if t.swift != t.name else [])
    out = [f"extension {t.swift}: APIType {{", f"    {pub}static let typeSchema = TypeSchema(",
           f"        {', '.join(args)}, group: {literal(spec.group)}, version: {literal(spec.version)},"]
    if t.raw.get("doc"):
        out.append(f"        doc: {literal(t.raw['doc'].strip())},")
    out.append(f"        openAPIName: {literal(openapi_name(spec.group, spec.version, t.name))},")
    if t.raw.get("structType"):
        out.append(f"        structType: {literal(t.raw['structType'])},")
    out.append("        fields: [")
    for f in t.fields:
        parts = [literal(f.name), field_type_case(f.type)]
        for key, label, render in SCHEMA_ARGUMENTS:  # only arguments that differ from the defaults
            if f.raw.get(key) not in (None, False, "", []):
                parts.append(f"{label}: {render(f.raw[key])}")
        out.append(f"            FieldSchema({', '.join(parts)}),")
    return out + ["        ]", "    )", "}"]

# YAML field key, FieldSchema argument label, rendering; in FieldSchema.init's parameter order.
SCHEMA_ARGUMENTS = [("proto", "protoNumber", str), ("doc", "doc", lambda d: literal(d.strip())),
                    ("pointer", "pointer", lambda _: "true"), ("always", "always", lambda _: "true"),
                    ("required", "required", lambda _: "true"), ("patchStrategy", "patchStrategy", literal),
                    ("patchMergeKey", "patchMergeKey", literal), ("listType", "listType", literal),
                    ("listMapKeys", "listMapKeys", strings), ("enum", "enumValues", strings),
                    ("format", "format", literal)]

def render_resource(t, pub):
    res, spec = t.raw["resource"], t.spec
    args = [f"group: {literal(spec.group)}, version: {literal(spec.version)}, kind: {literal(t.name)}",
            f"plural: {literal(res['plural'])}, singular: {literal(res['singular'])}, "
            f"namespaced: {str(res['namespaced']).lower()}"]
    args += [f"{key}: {strings(res[key])}" for key in ("shortNames", "categories") if res.get(key)]
    if res.get("subresources"):
        subs = "".join(f"            {render_subresource(t, name)},\n" for name in res["subresources"])
        args.append(f"subresources: [\n{subs}        ]")
    if res.get("verbs") is not None and res["verbs"] != STANDARD_VERBS:
        args.append(f"verbs: {strings(res['verbs'])}")
    return [f"extension {t.swift}: KubeResource {{", f"    {pub}static let resource = ResourceInfo(",
            ",\n".join("        " + arg for arg in args), "    )", "}"]

def render_subresource(t, name):
    group, version, kind, verbs = SUBRESOURCES[name]
    group, version = t.spec.group if group is None else group, t.spec.version if version is None else version
    kind = t.name if kind is None else kind.format(kind=t.name)
    return (f"SubresourceInfo(name: {literal(name)}, group: {literal(group)}, version: {literal(version)}, "
            f"kind: {literal(kind)}, verbs: {strings(verbs)})")

def header(source):
    return [f"// Generated by scripts/generate-api.py from {source}. Do not edit.",
            f"// Regenerate with: {COMMAND}", ""]

def render_spec(spec, fixture=False):
    pub = "" if fixture else "public "
    imports = (["@testable import KubeAPI", "import KubeCore"] if fixture else
               ["public import KubeCore"])
    out = header(spec.path) + imports
    for t in spec.types:
        out += [""] + render_struct(t, pub) + [""] + render_schema(t, pub)
        if "resource" in t.raw:
            out += [""] + render_resource(t, pub)
    return "\n".join(out) + "\n"

def render_registry(types):
    resources = sorted((t for t in types if "resource" in t.raw),
                       key=lambda t: (t.spec.group, t.spec.version, t.raw["resource"]["plural"]))
    out = header("api/**/*.yaml") + [
        "/// Every type and resource generated from `api/**/*.yaml`.",
        "public enum APIRegistry {",
        "    /// Every served resource, sorted by group, version and plural.",
        "    public static let resources: [ResourceInfo] = resourceTypes.map { $0.resource }",
        "",
        "    /// The Swift type of each entry of ``resources``, in the same order.",
        "    public static let resourceTypes: [any KubeResource.Type] = ["]
    out += [f"        {t.swift}.self," for t in resources]
    out += ["    ]", "", "    /// Every generated type, sorted by Swift name.",
            "    public static let types: [any APIType.Type] = ["]
    out += [f"        {t.swift}.self," for t in sorted(types, key=lambda t: t.swift)]
    out += ["    ]", "",
            "    /// Every schema by Swift type name: the generated types and ``KubeCoreSchemas``.",
            "    public static let schemas: [String: TypeSchema] = Dictionary(",
            "        uniqueKeysWithValues: (types.map { $0.typeSchema } + KubeCoreSchemas.all).map { ($0.name, $0) }",
            "    )", "}"]
    return "\n".join(out) + "\n"

# ---------------------------------------------------------------------------------------------- driver

def build(yaml_paths, errors):
    specs = [s for s in (load_spec(p, errors) for p in yaml_paths) if s]
    outputs = {}
    for spec in specs:
        if outputs.setdefault(spec.output, spec.path) != spec.path:
            errors.append(f"{spec.path}: generates {spec.output}, as does {outputs[spec.output]}; rename one")
    resolve_all(specs, errors)
    check_semantics([t for s in specs for t in s.types], errors)
    return specs

def generate():
    """Returns {absolute output path: text}, or raises SpecErrors."""
    errors = []
    paths = sorted(str(p) for p in Path(ROOT, "api").rglob("*") if p.suffix in (".yaml", ".yml"))
    specs = build(paths, errors)
    fixture_yaml = os.path.join(ROOT, "scripts", "generate-api-fixture.yaml")
    fixtures = build([fixture_yaml], errors) if os.path.exists(fixture_yaml) else []
    if errors:
        raise SpecErrors(errors)
    out_dir = os.path.join(ROOT, "Sources", "KubeAPI", "Generated")
    files = {os.path.join(out_dir, spec.output): render_spec(spec) for spec in specs}
    files[os.path.join(out_dir, "APIRegistry.swift")] = render_registry([t for s in specs for t in s.types])
    for spec in fixtures:
        files[os.path.join(ROOT, "Tests", "KubeAPITests", "Generated", "FixtureTypes.swift")] = render_spec(spec, True)
    return files

def read_text(path):
    return Path(path).read_text(encoding="utf-8") if os.path.exists(path) else None

def stale_files(files):
    folders = {os.path.dirname(p) for p in files}
    existing = {os.path.join(d, n) for d in folders if os.path.isdir(d) for n in os.listdir(d) if n.endswith(".swift")}
    return sorted(existing - set(files))

def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the generated files are not current")
    args = parser.parse_args()
    try:
        files = generate()
    except SpecErrors as failure:
        print("\n".join(f"error: {message}" for message in failure.args[0]), file=sys.stderr)
        print(f"{len(failure.args[0])} error(s); nothing written", file=sys.stderr)
        return 1
    stale, changed = stale_files(files), [(p, t) for p, t in sorted(files.items()) if read_text(p) != t]
    if args.check:
        for path, _ in changed:
            state = "missing" if read_text(path) is None else "out of date"
            print(f"{os.path.relpath(path, ROOT)} is {state}", file=sys.stderr)
        for path in stale:
            print(f"{os.path.relpath(path, ROOT)} is not generated from any YAML file", file=sys.stderr)
        if changed or stale:
            print(f"generated code is not current; run: {COMMAND}", file=sys.stderr)
        return 1 if changed or stale else 0
    for path, text in changed:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        Path(path).write_text(text, encoding="utf-8")
        print(f"wrote {os.path.relpath(path, ROOT)}")
    for path in stale:
        os.remove(path)
        print(f"removed {os.path.relpath(path, ROOT)}")
    return 0

if __name__ == "__main__":
    sys.exit(main())
