"""PyYAML as a test oracle: reads one JSON request on stdin, answers one JSON object on stdout.

Request: {"scalars": [text, ...], "tagged": [[tag, text], ...], "files": [base64 of the file's bytes, ...]}
Answer:  {"version": ..., "scalars": [value, ...], "tagged": [value, ...], "files": [file, ...]}

A value is {"t": type, "v": json} or {"error": message}; ints are sent as decimal text, floats as repr text, so
nothing is rounded on the way. A file is {"docs": [data, ...]}, {"error": message}, or {"too_large": true} when its aliases expand past
a million values: data are what the
platform's CLI receives, JSON with Python's own key conversion, except that timestamps are kept as the text they
were written as (tfy-lint's documented choice) after PyYAML has checked that they are real dates. Keys
duplicated within one mapping are reported as {"duplicate": key}, since tfy-lint reports them.
"""
import base64
import json
import math
import sys

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, ScalarNode
from yaml.resolver import Resolver


def typed(value):
    if value is None:
        return {"t": "null", "v": None}
    if isinstance(value, bool):
        return {"t": "bool", "v": value}
    if isinstance(value, int):
        return {"t": "int", "v": str(value)}
    if isinstance(value, float):
        return {"t": "float", "v": repr(value)}
    if isinstance(value, str):
        return {"t": "str", "v": value}
    return {"t": type(value).__name__, "v": str(value)}


def scalar(text):
    tag = Resolver().resolve(ScalarNode, text, (True, False))
    return construct(tag, text)


def construct(tag, text):
    try:
        return typed(SafeConstructor().construct_object(ScalarNode(tag, text), deep=True))
    except Exception as e:  # PyYAML lets ValueError / KeyError of a constructor through: the CLI stops either way
        return {"error": "%s: %s" % (type(e).__name__, str(e).splitlines()[0] if str(e) else "")}


class Duplicate(Exception):
    pass


class KeepTimestamps(yaml.SafeLoader):
    """SafeLoader that checks timestamps as PyYAML does but keeps their text."""

    def construct_yaml_timestamp(self, node):
        SafeConstructor.construct_yaml_timestamp(self, node)  # raises on impossible dates
        return node.value



KeepTimestamps.add_constructor("tag:yaml.org,2002:timestamp", KeepTimestamps.construct_yaml_timestamp)


def explicit_duplicates(node, seen_nodes):
    """First key that appears twice among the explicit keys of one mapping anywhere in the tree, else None."""
    if id(node) in seen_nodes:
        return None
    seen_nodes.add(id(node))
    if isinstance(node, MappingNode):
        keys = set()
        for k, v in node.value:
            if k.tag == "tag:yaml.org,2002:merge":
                continue
            if isinstance(k, ScalarNode):
                try:  # Python's own key equality: yes, 1 and 1.0 are one key
                    ident = SafeConstructor().construct_object(k)
                except Exception:
                    ident = (k.tag, k.value)
                if ident in keys:
                    return k.value
                keys.add(ident)
            found = explicit_duplicates(v, seen_nodes)
            if found is not None:
                return found
    elif hasattr(node, "value") and isinstance(node.value, list):
        for item in node.value:
            found = explicit_duplicates(item, seen_nodes)
            if found is not None:
                return found
    return None


class TooLarge(Exception):
    pass


def jsonable(value, budget):
    budget[0] -= 1
    if budget[0] < 0:
        raise TooLarge()
    if isinstance(value, float) and not math.isfinite(value):
        return {"$float": repr(value)}
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            out[k if isinstance(k, str) else next(iter(json.loads(json.dumps({k: 0}))))] = jsonable(v, budget)
        return {"$map": out}
    if isinstance(value, (list, tuple)):  # !!omap / !!pairs give tuples, which json sends as lists
        return [jsonable(v, budget) for v in value]
    if not isinstance(value, (str, int, float, bool, type(None))):  # bytes (!!binary), set (!!set)
        raise TypeError("Object of type %s is not JSON serializable" % type(value).__name__)
    return value


def load_file(text):
    try:
        nodes = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
        for n in nodes:
            if n is not None:
                dup = explicit_duplicates(n, set())
                if dup is not None:
                    return {"duplicate": dup}
        docs = list(yaml.load_all(text, Loader=KeepTimestamps))
        budget = [1_000_000]  # the same expansion limit as tfy-lint's: past it, aliases make a "billion laughs"
        return {"docs": [jsonable(d, budget) for d in docs]}
    except TooLarge:
        return {"too_large": True}
    except RecursionError:
        return {"error": "RecursionError: the data refers to itself or nests too deeply"}
    except Exception as e:
        return {"error": "%s: %s" % (type(e).__name__, str(e).splitlines()[0] if str(e) else "")}


def main():
    request = json.load(sys.stdin)
    answer = {
        "version": yaml.__version__,
        "scalars": [scalar(t) for t in request.get("scalars", [])],
        "tagged": [construct(tag, t) for tag, t in request.get("tagged", [])],
        "files": [load_file(base64.b64decode(t)) for t in request.get("files", [])],
    }
    json.dump(answer, sys.stdout)


main()
