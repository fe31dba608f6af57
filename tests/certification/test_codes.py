from hypothesis import given
from hypothesis import strategies as st

from certification import codes

data_strings = st.text(alphabet=codes.ALPHABET, min_size=15, max_size=15)


def with_check(data: str) -> str:
    return codes.format_code(data + codes.check_symbol(data))


def test_a_generated_code_is_grouped_well_formed_and_uses_only_the_alphabet():
    code = codes.generate_code()
    groups = code.split("-")
    assert [len(g) for g in groups] == [4, 4, 4, 4]
    assert set(code.replace("-", "")) <= set(codes.ALPHABET)
    assert codes.is_well_formed(code)


def test_codes_carry_at_least_70_random_bits_and_do_not_repeat():
    assert codes.RANDOM_BITS >= 70
    assert len({codes.generate_code() for _ in range(2000)}) == 2000


def test_the_alphabet_has_no_letters_that_look_like_digits():
    assert not set("OIL") & set(codes.ALPHABET)


@given(data_strings)
def test_lower_case_spaces_and_missing_dashes_are_accepted(data):
    code = with_check(data)
    typed = " ".join(code.replace("-", "").lower())
    assert codes.normalise_code(typed) == code
    assert codes.is_well_formed(typed)


@given(data_strings)
def test_o_i_and_l_are_read_as_zero_and_one(data):
    code = with_check(data)
    typed = code.replace("0", "O").replace("1", "l")
    assert codes.normalise_code(typed) == code


@given(data_strings, st.integers(0, 15), st.sampled_from(codes.ALPHABET))
def test_a_single_mistyped_character_is_detected(data, position, symbol):
    compact = with_check(data).replace("-", "")
    if compact[position] == symbol:
        return
    typo = compact[:position] + symbol + compact[position + 1 :]
    assert not codes.is_well_formed(typo)


def test_texts_of_the_wrong_length_or_alphabet_are_not_well_formed():
    code = codes.generate_code()
    assert not codes.is_well_formed(code[:-1])
    assert not codes.is_well_formed(code + "A")
    assert not codes.is_well_formed(code.replace(code[0], "U"))
    assert not codes.is_well_formed("")
