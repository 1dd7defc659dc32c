/* Unit tests for latex_render: what renders, and what must stay as written. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lectern/latex.h"

static void check(const char *in, const char *want)
{
	char *got = latex_render(in, LATEX_PLAIN);
	if (strcmp(got, want) != 0)
		print_error("latex_render(\"%s\"): got \"%s\", want \"%s\"\n", in, got, want);
	assert_string_equal(got, want);
	free(got);
}

static void test_greek_and_symbols(void **st)
{
	(void)st;
	check("$\\alpha$-stable", "α-stable");
	check("$\\Omega(n \\log n)$", "Ω(n log n)");
	check("$x \\leq y \\to \\infty$", "x ≤ y → ∞");
	check("$\\mathbb{R}^n$", "ℝⁿ");
	check("$\\mathbb{E}[X]$", "𝔼[X]");
	check("$\\mathcal{L}$", "ℒ");
}

static void test_scripts(void **st)
{
	(void)st;
	check("$x^2$", "x²");
	check("$x_i$", "xᵢ");
	check("$x^{10}$", "x¹⁰");
	check("$W_{t+1}$", "Wₜ₊₁");
	check("$x^{abc}$", "xᵃᵇᶜ");
	/* 'q' has no superscript form: stays as written */
	check("$x^{q}$", "x^{q}");
	check("$x^{2q}$", "x^{2q}");
	check("$x_{\\mathrm{max}}$", "xₘₐₓ");
	check("$x_{\\mathrm{best}}$", "x_{best}");
	check("$A^\\top$", "Aᵀ");
	check("$O(n^2)$", "O(n²)");
}

static void test_frac_sqrt_accents(void **st)
{
	(void)st;
	check("$\\frac{a}{b}$", "a/b");
	check("$\\frac{1}{2}$", "1/2");
	check("$\\frac{a+b}{c}$", "(a+b)/c");
	check("$\\sqrt{x}$", "√x");
	check("$\\sqrt{x+1}$", "√(x+1)");
	check("$\\sqrt[3]{x}$", "∛x");
	check("$\\hat{x}$", "x\xcc\x82");
	check("$\\left( x \\right)$", "( x )");
}

static void test_text_commands(void **st)
{
	(void)st;
	check("100\\% of \\& more \\$ \\# \\_", "100% of & more $ # _");
	check("\\cite{foo} and \\ref{sec:x}", "[foo] and \\ref{sec:x}");
	check("as in \\citep{vaswani2017, devlin-2019 }.", "as in [vaswani2017, devlin-2019].");
	check("\\cite[p.~3]{foo}", "\\cite[p.~3]{foo}");
	check("\\citet{foo} \\eqref{eq:1}", "\\citet{foo} \\eqref{eq:1}");
	check("\\cite{a$b}", "\\cite{a$b}");
	check("\\cite{}", "\\cite{}");
	check("\\cite{unclosed", "\\cite{unclosed");
	check("\\unknown{x} stays", "\\unknown{x} stays");
	/* a math span with something unrenderable stays whole, dollars included */
	check("$\\unknownmath{y}$", "$\\unknownmath{y}$");
	check("{BERT} rocks", "BERT rocks");

	char *got = latex_render("a \\textbf{bold} and \\emph{it}", 0);
	assert_string_equal(got, "a \x01" "bold\x02 and \x03it\x04");
	latex_strip_markers(got);
	assert_string_equal(got, "a bold and it");
	free(got);
}

static void test_dollars_that_are_not_math(void **st)
{
	(void)st;
	check("a $5 bill", "a $5 bill");
	check("costs $5 and $10 total", "costs $5 and $10 total");
	check("unpaired $x", "unpaired $x");
	check("$ x$ no", "$ x$ no");
	check("trailing $", "trailing $");
	check("a $5 bill and $\\beta$ here", "a $5 bill and β here");
	check("\\$5 or a $5 bill, see $\\beta^{q}$", "$5 or a $5 bill, see β^{q}");
	check("\\(a^2\\) and \\[b_1\\]", "a² and b₁");
	check("$$\\beta$$", "β");
}

static void test_hostile_input(void **st)
{
	(void)st;
	/* deep nesting is bounded, unbalanced braces are kept */
	char deep[4096];
	size_t i = 0;
	for (; i < 1500; i++)
		deep[i] = '{';
	deep[i++] = 'x';
	deep[i] = '\0';
	char *got = latex_render(deep, 0);
	assert_non_null(strchr(got, 'x'));
	free(got);
	check("{unclosed", "{unclosed");
	check("$\\frac{a}$", "$\\frac{a}$");
	check("$x^$", "x^");
	check("\\", "\\");
	got = latex_render(NULL, 0);
	assert_string_equal(got, "");
	free(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_greek_and_symbols),
		cmocka_unit_test(test_scripts),
		cmocka_unit_test(test_frac_sqrt_accents),
		cmocka_unit_test(test_text_commands),
		cmocka_unit_test(test_dollars_that_are_not_math),
		cmocka_unit_test(test_hostile_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
