"""The Python shim's order_action (ABI 1.3): a wrong item gets a replacement
and a return label from the host, each once per key, and the customer's
notice waits for both. Run: python3 order_action_test.py SHIM_DIR LIB DB"""
import sys

sys.path.insert(0, sys.argv[1])
from ordercare import Plugin  # noqa: E402

done, notices = {}, []


def order_action(request, key, attempt):
    done.setdefault(key, request["action"])  # a repeat of a key does nothing more
    if request["action"] == "reship":
        return "done", {"carrier": "dhl", "tracking_number": "JD1", "eta": "2026-11-23T12:00:00Z"}
    if request["action"] == "return_label":
        return "done", {"label_url": "https://labels.example.com/" + key, "tracking_number": "RL1"}
    return "done", {"code": "SORRY5"}


def notify(request, key, attempt):
    notices.append(request["template"])
    return "done"


order = {"id": "py-o1", "type": "order.created", "occurred_at": "2026-11-20T09:00:00Z", "source": "host",
         "data": {"order": {"id": "PO-1", "placed_at": "2026-11-20T09:00:00Z", "currency": "EUR", "total": 4999,
                            "channel": "web", "customer": {"id": "py-c1", "name": "Ann"},
                            "items": [{"line_id": "1", "sku": "MUG", "name": "Mug", "quantity": 1,
                                       "unit_price": 4999}]}}}
message = {"id": "py-m1", "type": "customer.message", "occurred_at": "2026-11-20T10:00:00Z", "source": "host",
           "data": {"order_id": "PO-1", "customer": {"id": "py-c1"}, "channel": "email",
                    "text": "I got the wrong item"}}
with Plugin({"store": {"path": sys.argv[3]}}, library=sys.argv[2], order_action=order_action, notify=notify) as oc:
    oc.submit(order)
    oc.submit(message)
    for _ in range(10):
        oc.poll()
    assert sorted(done.values()) == ["reship", "return_label"], done
    assert "wrong_item_replacement" in notices, notices
    case_id = oc.call("cases.list", {"order_id": "PO-1"})["cases"][0]["id"]
    out = oc.call("order.offer", {"order_id": "PO-1", "case_id": case_id, "offer": "discount_code",
                                  "amount": {"amount": 500, "currency": "EUR"}, "reason": "sorry"})
    assert out["action"]["id"] == "offer:PO-1:1", out
    for _ in range(10):
        oc.poll()
    assert done["offer:PO-1:1"] == "offer", done
    actions = {a["id"]: a["status"] for a in oc.call("order.get", {"id": "PO-1"})["actions"]}
    assert set(actions.values()) == {"done"} and len(actions) == 3, actions
print("order_action ok")
