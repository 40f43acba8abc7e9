"""The Python shim's submit_batch: one answer per event, in order, a refused
event answered alone, a whole-call failure raised. Run: python3
submit_batch_test.py SHIM_DIR LIB DB"""
import sys

sys.path.insert(0, sys.argv[1])
from ordercare import OrdercareError, Plugin  # noqa: E402


def order(event_id, order_id):
    return {"id": event_id, "type": "order.created", "occurred_at": "2026-11-20T09:00:00Z", "source": "host",
            "data": {"order": {"id": order_id, "placed_at": "2026-11-20T09:00:00Z", "currency": "EUR",
                               "total": 4999, "channel": "web", "customer": {"id": "py-c1"},
                               "items": [{"line_id": "1", "sku": "MUG", "name": "Mug", "quantity": 1,
                                          "unit_price": 4999}]}}}


with Plugin({"store": {"path": sys.argv[3]}, "limits": {"max_batch_events": 4}}, library=sys.argv[2]) as oc:
    answers = oc.submit_batch([order("py-b1", "PB-1"), b"not json", order("py-b1", "PB-1"), order("py-b2", "PB-2")])
    assert [a["status"] for a in answers] == ["accepted", "error", "duplicate", "accepted"], answers
    assert answers[1]["code"] == "OC_ERR_JSON" and "byte" in answers[1]["message"], answers[1]
    assert answers[3]["event_id"] == "py-b2"
    assert oc.call("order.get", {"id": "PB-2"})["id"] == "PB-2"
    assert oc.submit_batch([]) == []
    try:
        oc.submit_batch([order(f"py-x{i}", f"PX-{i}") for i in range(5)])
        raise AssertionError("a batch over limits.max_batch_events was accepted")
    except OrdercareError as error:
        assert error.name == "OC_ERR_TOO_LARGE" and "max_batch_events" in error.message, error
    assert len(oc.call("events.list")["events"]) == 2
print("submit_batch ok")
