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


class BoundedRelatedIds(serializers.ManyRelatedField):
    """Ids of related objects (`many=True`), refused by their count before any is looked
    up: each id costs a query. Errors stay on the field itself, as with `many=True`."""

    default_error_messages = {"max_length": BoundedListField.default_error_messages["max_length"]}

    def __init__(self, *, queryset, max_length: int, **kwargs) -> None:
        self.max_length = max_length
        super().__init__(serializers.PrimaryKeyRelatedField(queryset=queryset), **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, list) and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)
