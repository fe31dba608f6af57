"""Query lookups that keep malformed input from reaching the database as a server error."""

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    """``in`` that leaves out integers the column cannot hold, since no row can match them.

    Django already does this for ``exact``, ``lt`` and friends (``IntegerFieldOverflow``), not for
    ``in``: a form posting ``99999999999999999999999999`` as a choice id reached SQLite as an
    ``OverflowError`` (a 500) through ``ModelMultipleChoiceField``. With this lookup the value
    simply matches nothing and the form says the choice is invalid.
    """

    def process_rhs(self, compiler, connection):  # type: ignore[no-untyped-def]
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)
