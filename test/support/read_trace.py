"""Reads one trace with MLflow's own Python client and prints it as JSON on stdout.

Usage: python read_trace.py <tracking_uri> <trace_id>

Tests use it to assert on what MLflow's SDK sees, not only on the REST payloads.
"""

import json
import sys

import mlflow


def _jsonable(value):
    try:
        json.dumps(value)
        return value
    except (TypeError, ValueError):
        return repr(value)


def _span(span):
    return {
        "span_id": span.span_id,
        "parent_id": span.parent_id,
        "trace_id": span.trace_id,
        "name": span.name,
        "span_type": span.span_type,
        "start_time_ns": span.start_time_ns,
        "end_time_ns": span.end_time_ns,
        "status": {
            "code": span.status.status_code.value,
            "description": span.status.description,
        },
        "inputs": _jsonable(span.inputs),
        "outputs": _jsonable(span.outputs),
        "inputs_type": type(span.inputs).__name__,
        "outputs_type": type(span.outputs).__name__,
        "attributes": {key: _jsonable(value) for key, value in span.attributes.items()},
        "attribute_types": {key: type(value).__name__ for key, value in span.attributes.items()},
        "events": [
            {
                "name": event.name,
                "timestamp": event.timestamp,
                "attributes": {k: _jsonable(v) for k, v in (event.attributes or {}).items()},
            }
            for event in span.events
        ],
    }


def main():
    tracking_uri, trace_id = sys.argv[1], sys.argv[2]
    mlflow.set_tracking_uri(tracking_uri)
    trace = mlflow.get_trace(trace_id)
    if trace is None:
        print(json.dumps({"found": False}))
        return
    info = trace.info
    print(
        json.dumps(
            {
                "found": True,
                "info": {
                    "trace_id": info.trace_id,
                    "experiment_id": info.experiment_id,
                    "state": info.state.value,
                    "request_time": info.request_time,
                    "execution_duration": info.execution_duration,
                    "request_preview": info.request_preview,
                    "response_preview": info.response_preview,
                    "trace_metadata": dict(info.trace_metadata),
                    "tags": dict(info.tags),
                    "token_usage": _jsonable(info.token_usage),
                },
                "spans": [_span(span) for span in trace.data.spans],
            }
        )
    )


if __name__ == "__main__":
    main()
