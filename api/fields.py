"""Input fields of the API that bound what a request costs before doing any work."""

from rest_framework import serializers


class BoundedListField(serializers.ListField):
    """A list refused by its length before any item is looked at: DRF's ListField
    converts every item first (a query each, for a related object) and checks the
    length afterwards."""

    def __init__(self, *, max_length: int, **kwargs) -> None:
        super().__init__(max_length=max_length, **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, list) and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)
