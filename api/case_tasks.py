"""A case's tasks on the API, declared as the screens declare theirs
(frontend/cases/casework.py): the policy action the case is found with, what the task
takes, the service that performs it and what it answers. Each becomes one POST view:
find the case (a 404 for a case the user may not know of, a 403 for a task their role
may not do on it), for a task on one record of the case find that record (else a
404), check the input, call the service (which asks the policy itself), answer."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from accounts.policy import Action
from api.schema import with_body
from workflow.models import Casus
from workflow.selectors import find_case

CASES = ["casussen"]


def valid(serializer_class: type[serializers.Serializer], request: Request, **context) -> dict:
    serializer = serializer_class(data=request.data, context={"request": request, **context})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


@dataclass(frozen=True)
class CaseTask:
    summary: str
    action: Action
    takes: type[serializers.Serializer]  # validated with the case in its context
    perform: Callable[..., object]  # (case or record, user, validated data) -> result
    answers: type[serializers.Serializer]
    many: bool = False  # the result is a list
    records: Callable[[Casus], QuerySet] | None = None  # a task on one record of the case

    def view(self) -> type[APIView]:
        task = self
        created = task.records is None  # a new record; a task on a record changes it

        class CaseTaskView(APIView):
            @extend_schema(
                tags=CASES,
                summary=task.summary,
                request=task.takes,
                responses={
                    201 if created else 200: task.answers(many=task.many),
                    **with_body(404),
                },
            )
            def post(self, request: Request, reference: str, pk: int | None = None) -> Response:
                casus = find_case(request.user, reference, task.action)
                target = casus if task.records is None else record_of(task, casus, pk)
                data = valid(task.takes, request, casus=casus)
                result = task.perform(target, request.user, data)
                return Response(
                    task.answers(result, many=task.many).data,
                    status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
                )

        CaseTaskView.__name__ = CaseTaskView.__qualname__ = task.takes.__name__.replace(
            "Input", "Task"
        )
        return CaseTaskView


def record_of(task: CaseTask, casus: Casus, pk: int | None):
    """The record of the case the task is about, or a 404 (as the screens' record tasks)."""
    return get_object_or_404(task.records(casus), pk=pk)


def performed(service: Callable[..., object]) -> Callable[[object, User, dict], object]:
    """A service called as the task pages call it: target first, the actor and the data
    as keywords."""
    return lambda target, user, data: service(target, actor=user, **data)
