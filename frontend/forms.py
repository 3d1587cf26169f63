"""Form rendering in the NL Design System style, with errors tied to their fields."""

from django.forms import BoundField, RadioSelect
from django.forms.renderers import DjangoTemplates

WIDGET_CLASSES = {
    "text": "utrecht-textbox",
    "email": "utrecht-textbox",
    "password": "utrecht-textbox",
    "number": "utrecht-textbox",
    "url": "utrecht-textbox",
    "tel": "utrecht-textbox",
    "date": "utrecht-textbox",
    "select": "utrecht-select",
    "textarea": "utrecht-textarea",
    "checkbox": "utrecht-checkbox utrecht-checkbox--custom",
}


class UtrechtBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if isinstance(widget, RadioSelect):  # also CheckboxSelectMultiple
            return attrs  # a list of options: the class would land on the list's wrapper too
        kind = getattr(widget, "input_type", None) or self.widget_type
        css = WIDGET_CLASSES.get(kind)
        if css:
            invalid = f" {css.split()[0]}--invalid" if self.errors else ""
            attrs["class"] = f"{attrs.get('class', '')} {css}{invalid}".strip()
        return attrs


class FormRenderer(DjangoTemplates):
    form_template_name = "frontend/forms/form.html"
    field_template_name = "frontend/forms/field.html"
    bound_field_class = UtrechtBoundField
