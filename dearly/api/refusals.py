"""A request the API understood but will not carry out: 422, naming the fields to blame."""


class Refused(ValueError):
    def __init__(self, *problems: tuple[str | None, str]) -> None:
        super().__init__("; ".join(message for _, message in problems))
        self.problems = problems
