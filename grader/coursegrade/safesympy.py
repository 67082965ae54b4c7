"""SymPy objects from text written by the submission, without evaluating that text.

`from_srepr` rebuilds an expression from its `srepr` form (how SymPy values cross the wire): the text is
parsed with `ast` and only calls of SymPy's own expression classes, with literal arguments, are built.
`safe_parse_expr` replaces SymPy's `parse_expr` in the judge, so that `sp.sympify(a_string_from_a_student)`
in a test builds the same expression for ordinary formulas ("s*(1 - s)", "1 - t**2") but never runs code
(SymPy's own parser ends in `eval`)."""
import ast
import re

import sympy

MAX_NODES = 50_000
MAX_INT_DIGITS = 200
_FLOAT = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$|^[-+]?(inf|nan)$")
# Callees whose first argument is a name or a number written as text; every other callee gets no text at all.
_TEXT_FIRST = {"Symbol", "Dummy", "Wild", "Function", "Float"}
_MATRICES = {"Matrix", "MutableDenseMatrix", "ImmutableDenseMatrix", "ImmutableMatrix", "MutableMatrix"}


def _expression_classes():
    allowed = {}
    for name in dir(sympy):
        value = getattr(sympy, name)
        if isinstance(value, type) and issubclass(value, sympy.Basic) or name in _MATRICES:
            allowed[name] = value
    allowed.update(ExprCondPair=sympy.functions.elementary.piecewise.ExprCondPair)
    for forbidden in ("Lambda", "Subs", "Integral", "Sum", "Product"):  # unevaluated operators: slow to compare
        allowed.pop(forbidden, None)
    return allowed


_CALLABLE = _expression_classes()
_SINGLETONS = {"pi": sympy.pi, "E": sympy.E, "I": sympy.I, "oo": sympy.oo, "nan": sympy.nan, "zoo": sympy.zoo,
               "true": sympy.true, "false": sympy.false}


class UnsafeExpression(ValueError):
    """The text is not an expression this module is willing to build."""


def _parse(text):
    try:
        tree = ast.parse(text, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        raise UnsafeExpression(f"not a SymPy expression ({type(error).__name__})") from None
    if sum(1 for _ in ast.walk(tree)) > MAX_NODES:
        raise UnsafeExpression("the expression is too large")
    return tree.body


def _constant(node, text_allowed):
    value = node.value
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        if len(str(abs(value))) > MAX_INT_DIGITS:
            raise UnsafeExpression("an integer is too large")
        return value
    if isinstance(value, float):
        return value
    if isinstance(value, str) and text_allowed and len(value) <= 200:
        return value
    raise UnsafeExpression(f"a literal of type {type(value).__name__} is not allowed here")


def from_srepr(text):
    """The SymPy object whose srepr is text; UnsafeExpression if text is anything else."""

    def build(node, text_allowed=False):
        if isinstance(node, ast.Constant):
            return _constant(node, text_allowed)
        if isinstance(node, ast.Name) and node.id in _SINGLETONS:
            return _SINGLETONS[node.id]
        if isinstance(node, (ast.List, ast.Tuple)):
            items = [build(item) for item in node.elts]
            return items if isinstance(node, ast.List) else tuple(items)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant):
            return -build(node.operand)
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Call):  # an applied undefined function: Function('sigma')(Symbol('z'))
                function = build(node.func)
                if type(function).__name__ != "UndefinedFunction":
                    raise UnsafeExpression("only undefined functions may be applied")
                return function(*[build(arg) for arg in node.args])
            if not (isinstance(node.func, ast.Name) and node.func.id in _CALLABLE):
                raise UnsafeExpression("a call of something that is not a SymPy expression class")
            name = node.func.id
            args = [build(arg, text_allowed=(index == 0 and name in _TEXT_FIRST)) for index, arg in enumerate(node.args)]
            if name == "Float" and args and isinstance(args[0], str) and not _FLOAT.match(args[0]):
                raise UnsafeExpression("Float of a text that is not a number")
            if name not in ("Float", "Integer", "Rational") and any(isinstance(a, str) for a in args[1:]):
                raise UnsafeExpression("text arguments")
            keywords = {}
            for keyword in node.keywords:
                if keyword.arg is None or not isinstance(keyword.value, ast.Constant):
                    raise UnsafeExpression("keyword arguments must be literals")
                keywords[keyword.arg] = _constant(keyword.value, text_allowed=False)
            return _CALLABLE[name](*args, **keywords)
        raise UnsafeExpression(f"{type(node).__name__} is not allowed in an expression")

    try:
        return build(_parse(text))
    except UnsafeExpression:
        raise
    except (TypeError, ValueError, AttributeError, RecursionError) as error:
        raise UnsafeExpression(f"not a valid SymPy expression ({type(error).__name__})") from None


_FUNCTIONS = {name: getattr(sympy, name) for name in (
    "exp", "log", "ln", "sqrt", "sin", "cos", "tan", "sinh", "cosh", "tanh", "asin", "acos", "atan", "atanh",
    "Abs", "Max", "Min", "sign", "Heaviside", "Rational", "Integer", "Matrix", "Piecewise", "diag")}
_OPERATORS = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
              ast.Div: lambda a, b: a / b, ast.Pow: lambda a, b: a ** b}


def safe_parse_expr(text, local_dict=None, transformations=None, global_dict=None, evaluate=True):
    """A formula from text (as `sympy.parse_expr` reads ordinary formulas), built without `eval`.

    Names become symbols, or the SymPy functions and constants above (or entries of local_dict that are
    SymPy objects); only + - * / ** ^, calls of those functions, numbers, lists and tuples are allowed."""
    if not isinstance(text, str):
        raise UnsafeExpression("not a text")
    local_dict = local_dict or {}

    def build(node):
        if isinstance(node, ast.Constant) and not isinstance(node.value, str):
            value = _constant(node, text_allowed=False)
            return sympy.Float(value) if isinstance(value, float) else sympy.Integer(value)
        if isinstance(node, ast.Name):
            known = local_dict.get(node.id)
            if isinstance(known, sympy.Basic) or type(known).__name__ == "UndefinedFunction":
                return known
            if node.id in _SINGLETONS:
                return _SINGLETONS[node.id]
            return _FUNCTIONS.get(node.id) or sympy.Symbol(node.id)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
            return _OPERATORS[type(node.op)](build(node.left), build(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            operand = build(node.operand)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, (ast.List, ast.Tuple)):
            items = [build(item) for item in node.elts]
            return items if isinstance(node, ast.List) else tuple(items)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
            function = local_dict.get(node.func.id)
            if type(function).__name__ != "UndefinedFunction":
                function = _FUNCTIONS.get(node.func.id) or sympy.Function(node.func.id)
            return function(*[build(arg) for arg in node.args])
        raise UnsafeExpression(f"{type(node).__name__} is not allowed in a formula")

    try:
        return build(_parse(text.replace("^", "**")))  # as SymPy's convert_xor: ^ is a power in a formula
    except UnsafeExpression as error:
        raise sympy.SympifyError(text[:200], error) from None
    except (TypeError, ValueError, AttributeError, RecursionError, ZeroDivisionError) as error:
        raise sympy.SympifyError(text[:200], error) from None


def install():
    """Make every string-to-expression path of SymPy in this process use safe_parse_expr."""
    import sympy.parsing.sympy_parser as parser
    parser.parse_expr = safe_parse_expr
    sympy.parse_expr = safe_parse_expr
