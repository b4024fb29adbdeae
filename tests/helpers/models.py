"""Reading what processing.run() of a Processing model returns, on every QGIS we test.

QGIS 3.22 returns each model output as "<child id>:<output name>"; 3.40 and 3.44 return the outputs
of every child under CHILD_RESULTS instead, and leave a non-file model output (a number) out of the
top level.
"""


def model_output(result: dict, child_id: str, output_name: str, child_output: str):
    """The value of the model output ``output_name`` that is ``child_output`` of child ``child_id``."""
    for key in (f"{child_id}:{output_name}", output_name):
        if key in result:
            return result[key]
    children = result.get("CHILD_RESULTS") or {}
    if child_id in children and child_output in children[child_id]:
        return children[child_id][child_output]
    raise KeyError(f"no output {output_name!r} of child {child_id!r} in the model's result: {sorted(result)}")
