// The words to show for a refused request: the field's own message when the server named the
// field (a validation_failed problem), else the problem's title (already in the page language).
export const problemMessage = async (response, texts) => {
  const problem = await response.json().catch(() => ({}));
  if (problem.code === "validation_failed" && Array.isArray(problem.errors)) {
    for (const error of problem.errors) {
      const field = String(error.key || "").replace(/^\$\./, "").split(/[.[]/)[0];
      if (texts[`acct_invalid_${field}`]) return texts[`acct_invalid_${field}`];
    }
  }
  return problem.title || texts.acct_error_generic;
};
