// Filters are plain GET forms (they work without JavaScript); with it, choosing a value
// applies it at once.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form.filters select").forEach(function (select) {
    select.addEventListener("change", function () {
      select.form.submit();
    });
  });
});
