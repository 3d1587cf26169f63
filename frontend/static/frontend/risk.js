// The score and level of a risk assessment, shown as the questions are answered.
// The server computes them again on saving; this only helps the team while they talk.
(function () {
  const form = document.querySelector("[data-risk-levels]");
  if (!form) {
    return;
  }
  const levels = form.dataset.riskLevels.split("|").map((part) => {
    const [threshold, level] = part.split(":");
    return [Number(threshold), level];
  });
  const output = form.querySelector("[data-risk-score]");
  function update() {
    const questions = new Set();
    let score = 0;
    let answered = 0;
    form.querySelectorAll("input[type=radio][data-weight]").forEach((input) => {
      questions.add(input.name);
      if (input.checked) {
        answered += 1;
        if (input.value === "ja") {
          score += Number(input.dataset.weight);
        }
      }
    });
    let level = "";
    levels.forEach(([threshold, name]) => {
      if (score >= threshold) {
        level = name;
      }
    });
    output.textContent = output.dataset.text
      .replace("{score}", score)
      .replace("{level}", level)
      .replace("{answered}", answered)
      .replace("{total}", questions.size);
    output.hidden = false;
  }
  form.addEventListener("change", update);
  update();
})();
