"""The schema verb's JSON Schema is valid JSON Schema and names every column."""
import json


def test_json_schema_lists_columns(run):
    out = run("schema", "--format", "json-schema").stdout
    doc = json.loads(out)
    assert doc["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "fatalities_best" in doc["properties"]
    assert doc["properties"]["date_start"]["format"] == "date"
    assert len(doc["required"]) == 40


def test_json_schema_is_valid_2020_12(run):
    import jsonschema

    doc = json.loads(run("schema", "--format", "json-schema").stdout)
    jsonschema.Draft202012Validator.check_schema(doc)
    row = {name: None for name in doc["required"]}
    # a null in a non-null column is invalid
    errors = list(jsonschema.Draft202012Validator(doc).iter_errors(row))
    assert any(e.path and e.path[0] == "incident_id" for e in errors)
