"""Talking to model servers: Ollama's native API and OpenAI-compatible gateways.

Request and answer shapes follow Ollama's API reference (docs/api.md, /api/chat with ``stream``
false, ``format`` a JSON schema, ``images`` base64 in the message, durations in nanoseconds, errors
as ``{"error": "..."}``) and its OpenAI compatibility page (``/v1/chat/completions``, images only as
base64 data URIs, ``response_format`` json_schema mapped to ``format``). Open WebUI exposes the same
OpenAI shape at ``/api/chat/completions`` behind a bearer key.

endpoints.py      an endpoint's configuration (URL, model, key, concurrency, num_ctx), names made unique
transport.py      one HTTP request with a deadline for the whole of it and a cap on the answer's size
failures.py       how a request failed (RequestFailedError) and what that means (failure_meaning)
servers.py        server kinds and URLs, context size, prompt-token estimate, EndpointCheck
client_base.py    ModelClient (session, key, deadline) and ModelReply
ollama_client.py, openai_client.py   one client per API
factory.py        make_client and check_endpoint (the endpoint Test)
"""
