// Loads the Questionnaire the test serves at /questionnaire.json into
// LHC-Forms as FHIR R4, then marks the body: data-state="loaded" or "failed".
(async () => {
  try {
    const response = await fetch("/questionnaire.json");
    const questionnaire = await response.json();
    await LForms.Util.addFormToPage(questionnaire, "form", { fhirVersion: "R4" });
    document.body.dataset.state = "loaded";
  } catch (error) {
    document.body.dataset.error = String(error);
    document.body.dataset.state = "failed";
  }
})();

// The answers as the QuestionnaireResponse LHC-Forms would send.
window.questionnaireResponse = () =>
  LForms.Util.getFormFHIRData("QuestionnaireResponse", "R4", document.getElementById("form"));
