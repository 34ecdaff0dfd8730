"""Test oracle: makes real botocore client calls against a nimbus codec served over
HTTP and prints what botocore parsed. Reads JSON from stdin:
  {"endpoint": url, "calls": [{"service": "sqs", "op": "ReceiveMessage", "params": {...}}]}
Values tagged {"$b64": s} become bytes and {"$ts": epoch_ms} datetimes, both ways.
Prints [{"ok": parsed} | {"error": {...}}] plus the botocore version."""
import base64
import datetime
import json
import sys

import botocore
import botocore.session
from botocore.config import Config
from botocore.exceptions import ClientError


def decode(v):
    if isinstance(v, dict):
        if set(v) == {"$b64"}:
            return base64.b64decode(v["$b64"])
        if set(v) == {"$ts"}:
            return datetime.datetime.fromtimestamp(v["$ts"] / 1000, tz=datetime.timezone.utc)
        return {k: decode(x) for k, x in v.items()}
    if isinstance(v, list):
        return [decode(x) for x in v]
    return v


def encode(v):
    if isinstance(v, dict):
        return {k: encode(x) for k, x in v.items() if k != "ResponseMetadata"}
    if isinstance(v, list):
        return [encode(x) for x in v]
    if isinstance(v, (bytes, bytearray)):
        return {"$b64": base64.b64encode(v).decode()}
    if isinstance(v, datetime.datetime):
        return {"$ts": round(v.timestamp() * 1000)}
    return v


def main():
    spec = json.load(sys.stdin)
    session = botocore.session.get_session()
    clients = {}
    results = []
    for call in spec["calls"]:
        service = call["service"]
        if service not in clients:
            clients[service] = session.create_client(
                service, region_name="us-east-1", endpoint_url=spec["endpoint"],
                aws_access_key_id="test", aws_secret_access_key="test",
                config=Config(retries={"max_attempts": 1, "mode": "standard"}))
        client = clients[service]
        method = getattr(client, botocore.xform_name(call["op"]))
        try:
            results.append({"ok": encode(method(**decode(call.get("params", {}))))})
        except ClientError as e:
            results.append({"error": {
                "exception": type(e).__name__,
                "code": e.response["Error"].get("Code"),
                "message": e.response["Error"].get("Message"),
                "type": e.response["Error"].get("Type"),
                "status": e.response["ResponseMetadata"].get("HTTPStatusCode"),
                "fields": encode({k: v for k, v in e.response["Error"].items() if k not in ("Code", "Message", "Type")}),
            }})
    json.dump({"botocore": botocore.__version__, "results": results}, sys.stdout)


main()
