// Start every GOV.UK Frontend component on the page (service navigation, error summary, ...).
import { initAll } from "./govuk-frontend.min.js";

initAll();
