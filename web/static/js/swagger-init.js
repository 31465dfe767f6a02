// Starts Swagger UI on /api/v1/docs from the page's data attributes: the page has no
// inline script, which the Content-Security-Policy would refuse.
(function () {
  "use strict";
  var container = document.getElementById("swagger-ui-container");
  var config = JSON.parse(container.dataset.config || "{}");
  config.url = container.dataset.specUrl;
  config.dom_id = "#swagger-ui-container";
  window.ui = window.SwaggerUIBundle(config);
})();
