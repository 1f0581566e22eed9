"""The statements that insert, upsert and delete a muscle's rows, and the tables
those rows belong to (:data:`_CHILD_TABLES`)."""

from __future__ import annotations

from dataclasses import dataclass

_INSERT_MUSCLE = """INSERT INTO muscles
    (slug, id, title, latin, image, image_focus, body, extra, source, content_hash)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""
_INSERT_TEXT = "INSERT INTO texts (muscle, field, language, text) VALUES (?, ?, ?, ?)"
_INSERT_FUNCTION = """INSERT INTO functions (muscle, position, part, language, text)
    VALUES (?, ?, ?, ?, ?)"""
_INSERT_EXERCISE = "INSERT INTO exercises (muscle, position, name) VALUES (?, ?, ?)"
_INSERT_REGION = "INSERT INTO regions (muscle, position) VALUES (?, ?)"
_INSERT_POINT = "INSERT INTO points (muscle, region, position, x, y) VALUES (?, ?, ?, ?, ?)"
# Into a database that may hold a row of the same key: that row is updated in place when
# its values differ (so it keeps its row id, and a row of a user's table that refers to it
# stays); one that is the same is left alone (no trigger fires).
_UPSERT_TEXT = f"""{_INSERT_TEXT} ON CONFLICT (muscle, field, language)
    DO UPDATE SET text = excluded.text WHERE text IS NOT excluded.text"""
_UPSERT_FUNCTION = f"""{_INSERT_FUNCTION} ON CONFLICT (muscle, position, part, language)
    DO UPDATE SET text = excluded.text WHERE text IS NOT excluded.text"""
_UPSERT_EXERCISE = f"""{_INSERT_EXERCISE} ON CONFLICT (muscle, position)
    DO UPDATE SET name = excluded.name WHERE name IS NOT excluded.name"""
_UPSERT_REGION = f"{_INSERT_REGION} ON CONFLICT (muscle, position) DO NOTHING"
_UPSERT_POINT = f"""{_INSERT_POINT} ON CONFLICT (muscle, region, position)
    DO UPDATE SET x = excluded.x, y = excluded.y WHERE x IS NOT excluded.x OR y IS NOT excluded.y"""
# A muscle's rows whose key is not among the keys of its new rows, given as a JSON array
# of arrays (one per row: the key's columns after ``muscle``).
_KEY_1 = "SELECT json_extract(value, '$[0]') FROM json_each(?)"
_KEY_2 = "SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?)"
_KEY_3 = ("SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), "
          "json_extract(value, '$[2]') FROM json_each(?)")
# A row whose position is a REAL (1.0, in a table made again without types) is deleted
# too: it equals the key 1, so an upsert would find it and keep it, not of its type.
_NOT_INTEGER = "typeof(position) <> 'integer'"
_DELETE_GONE_TEXTS = f"DELETE FROM texts WHERE muscle = ? AND (field, language) NOT IN ({_KEY_2})"
_DELETE_GONE_FUNCTIONS = (f"DELETE FROM functions WHERE muscle = ? AND ({_NOT_INTEGER} "
                          f"OR (position, part, language) NOT IN ({_KEY_3}))")
_DELETE_GONE_EXERCISES = (f"DELETE FROM exercises WHERE muscle = ? AND ({_NOT_INTEGER} "
                          f"OR position NOT IN ({_KEY_1}))")
_DELETE_GONE_REGIONS = (f"DELETE FROM regions WHERE muscle = ? AND ({_NOT_INTEGER} "
                        f"OR position NOT IN ({_KEY_1}))")
_DELETE_GONE_POINTS = (f"DELETE FROM points WHERE muscle = ? AND ({_NOT_INTEGER} "
                       "OR typeof(region) <> 'integer' "
                       f"OR (region, position) NOT IN ({_KEY_2}))")
_DELETE_MUSCLE = "DELETE FROM muscles WHERE slug = ?"
_UPDATE_MUSCLE = """UPDATE muscles SET title = ?, latin = ?, image = ?, image_focus = ?,
    body = ?, extra = ?, source = ?, content_hash = ? WHERE slug = ?"""


@dataclass(frozen=True)
class _Child:
    """A table whose rows belong to a muscle: how its rows go into a new database and
    into an existing one, how a muscle's rows whose keys are gone are deleted, and the
    columns of its key after ``muscle``."""

    table: str
    insert: str
    upsert: str
    delete_gone: str
    key: tuple[str, ...]

    @property
    def key_width(self) -> int:
        """How many columns after ``muscle`` its key has."""
        return len(self.key)


#: The tables whose rows belong to a muscle (parents first: a row's parent goes in first).
_CHILD_TABLES = (
    _Child("texts", _INSERT_TEXT, _UPSERT_TEXT, _DELETE_GONE_TEXTS, ("field", "language")),
    _Child("functions", _INSERT_FUNCTION, _UPSERT_FUNCTION, _DELETE_GONE_FUNCTIONS,
           ("position", "part", "language")),
    _Child("exercises", _INSERT_EXERCISE, _UPSERT_EXERCISE, _DELETE_GONE_EXERCISES,
           ("position",)),
    _Child("regions", _INSERT_REGION, _UPSERT_REGION, _DELETE_GONE_REGIONS, ("position",)),
    _Child("points", _INSERT_POINT, _UPSERT_POINT, _DELETE_GONE_POINTS,
           ("region", "position")),
)
#: Their names, children first.
_CHILDREN = tuple(child.table for child in reversed(_CHILD_TABLES))
#: A muscle's rows of each of them, children first: deleted before its row in muscles,
#: not left to ON DELETE CASCADE, which a table made again by hand may not have.
_DELETE_ROWS = tuple(f"DELETE FROM {table} WHERE muscle = ?" for table in _CHILDREN)
_MOVE_MUSCLE = "UPDATE muscles SET source = ? WHERE slug = ?"
_EXISTING_OF = "SELECT slug, content_hash, id, source FROM muscles WHERE slug IN ({})"
_NOT_LOADED = "WHERE slug NOT IN (SELECT slug FROM temp.loaded) ORDER BY slug"
