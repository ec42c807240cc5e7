// 政务服务好差评 H5 page. The page works without this script (the server checks every answer);
// with it, the reason tags follow the chosen level and a bad level without a reason is stopped
// before it is sent (000 第七条: 不满意/非常不满意 need a tag or a reason in words). The item's
// questionnaire (000 第八条) shows the questions of the chosen level; a required one must be answered.
(function () {
  'use strict';
  var NEEDS_REASON = '选择“不满意”或“非常不满意”时，请至少选择一项不满意的原因，或填写文字评价。';
  var NEEDS_LEVEL = '请选择满意程度。';

  function chosen(form) {
    var c = form.querySelector('input[name=level]:checked');
    return c ? c : null;
  }

  function showTags(form) {
    var level = chosen(form);
    var bad = level && level.getAttribute('data-bad') === 'true';
    Array.prototype.forEach.call(form.querySelectorAll('fieldset.tags'), function (fs) {
      var forBad = fs.getAttribute('data-polarity') === 'BAD';
      var hide = !level || forBad !== bad;
      fs.hidden = hide;
      fs.disabled = hide; // hidden tags are not sent
    });
  }

  // The questions of the item's questionnaire asked for the chosen level; the others hidden and not sent.
  function showQuestions(form) {
    var level = chosen(form);
    var section = form.querySelector('section.questionnaire');
    if (!section) {
      return;
    }
    var shown = 0;
    Array.prototype.forEach.call(section.querySelectorAll('fieldset.question'), function (fs) {
      var asked = !!level && (' ' + fs.getAttribute('data-levels') + ' ').indexOf(' ' + level.value + ' ') >= 0;
      fs.hidden = !asked;
      fs.disabled = !asked;
      if (asked) {
        shown++;
      }
    });
    section.hidden = shown === 0;
  }

  function answered(fs) {
    if (fs.querySelector('input:checked')) {
      return true;
    }
    var text = fs.querySelector('textarea');
    return !!text && text.value.trim() !== '';
  }

  function say(form, text) {
    var box = form.querySelector('.error');
    box.innerHTML = '';
    var p = document.createElement('p');
    p.textContent = text;
    box.appendChild(p);
    box.hidden = false;
    box.focus();
  }

  // What is still missing before the form may be sent, or null.
  function missing(form) {
    var level = chosen(form);
    if (!level) {
      return NEEDS_LEVEL;
    }
    if (level.getAttribute('data-bad') === 'true') {
      var tagged = form.querySelector('fieldset.tags[data-polarity=BAD] input:checked');
      var text = form.querySelector('textarea[name=comment]');
      if (!tagged && (!text || text.value.trim() === '')) {
        return NEEDS_REASON;
      }
    }
    var questions = form.querySelectorAll('fieldset.question[data-required=true]');
    for (var i = 0; i < questions.length; i++) {
      if (!questions[i].hidden && !answered(questions[i])) {
        return '请回答问题：“' + questions[i].querySelector('legend').firstChild.textContent.trim() + '”';
      }
    }
    return null;
  }

  function check(event) {
    var problem = missing(event.target);
    if (problem) {
      event.preventDefault();
      say(event.target, problem);
    }
  }

  // Once the citizen has fixed what the message asked for, the message goes.
  function recheck(form) {
    var box = form.querySelector('.error');
    if (!box.hidden && !missing(form)) {
      box.hidden = true;
    }
  }

  Array.prototype.forEach.call(document.querySelectorAll('#rating-form, #feedback-form'), function (form) {
    showTags(form);
    showQuestions(form);
    form.addEventListener('change', function (e) {
      if (e.target.name === 'level') {
        showTags(form);
        showQuestions(form);
      }
      recheck(form);
    });
    form.addEventListener('input', function () {
      recheck(form);
    });
    form.addEventListener('submit', check);
  });
})();
