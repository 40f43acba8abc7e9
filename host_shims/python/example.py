"""A Python host in a few lines: submit an order and a complaint, answer the
plugin's notifications, print the case. Run: python3 example.py LIB DB"""
import sys
import time

from ordercare import Plugin

sent = []


def notify(request, key, attempt):
    sent.append((key, request["message"]["text"]))
    return "done"


clock = [int(time.mktime((2026, 11, 20, 9, 0, 0, 0, 0, 0)) * 1000)]
with Plugin({"store": {"path": sys.argv[2]}}, library=sys.argv[1], notify=notify,
            clock=lambda: clock[0]) as oc:
    oc.submit({"id": "py-1", "type": "order.created", "occurred_at": "2026-11-20T09:00:00Z",
               "source": "host", "data": {"order": {
                   "id": "PY-1", "placed_at": "2026-11-20T09:00:00Z", "currency": "EUR", "total": 4999,
                   "channel": "web", "customer": {"id": "py-c1", "name": "Ada Example"},
                   "items": [{"line_id": "1", "sku": "MUG", "name": "Mug", "quantity": 1, "unit_price": 4999}]}}})
    answer = oc.submit({"id": "py-2", "type": "customer.message", "occurred_at": "2026-11-20T09:05:00Z",
                        "source": "host", "data": {"order_id": "PY-1", "customer": {"id": "py-c1"},
                                                   "channel": "email", "text": "The mug arrived broken."}})
    oc.poll()
    case = oc.call("case.get", {"id": answer["cases"][0]})
    print(case["type"], case["priority"], case["status"])
    for key, text in sent:
        print(key, "->", text.splitlines()[0])
